import Logging
import NIOCore
import SQLKit

/// SQLKit's view of one pooled connection (`base`), wrapped by a type that keeps the connection itself beside it
/// for what SQLKit cannot do. Whatever the wrapper does not define is forwarded to `base`.
protocol ConnectionDatabase: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension ConnectionDatabase {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }
}
