import SQLKit

extension SQLDatabase {
    /// Runs `body` in one transaction on this connection: committed when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(
        _ flavor: DatabaseFlavor,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await raw(SQLQueryString(flavor.beginWriteTransaction)).run()
        do {
            let result = try await body(self)
            try await raw("COMMIT").run()
            return result
        } catch {
            // The connection may be gone (that is often why we are here); the original error is what matters.
            try? await raw("ROLLBACK").run()
            throw error
        }
    }
}
