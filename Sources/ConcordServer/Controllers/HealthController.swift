public import Hummingbird

/// `GET /health`: liveness, and whether records are reaching the database.
public struct HealthController: Sendable {
    /// A snapshot of the record pipeline.
    public struct Status: Sendable, Encodable {
        public var databaseReachable: Bool
        public var pendingRecords: Int
        public var spooledRecords: Int

        public init(databaseReachable: Bool, pendingRecords: Int, spooledRecords: Int) {
            self.databaseReachable = databaseReachable
            self.pendingRecords = pendingRecords
            self.spooledRecords = spooledRecords
        }
    }

    let status: @Sendable () async -> Status

    public init(status: @escaping @Sendable () async -> Status) {
        self.status = status
    }

    struct Report: Encodable {
        var status: String
        var database: String
        var pendingRecords: Int
        var spooledRecords: Int
        enum CodingKeys: String, CodingKey {
            case status, database
            case pendingRecords = "pending_records"
            case spooledRecords = "spooled_records"
        }
    }

    /// Always 200 while the process serves: a database outage degrades recording but never fails calls.
    public func report(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let current = await status()
        let report = Report(
            status: current.databaseReachable ? "ok" : "degraded",
            database: current.databaseReachable ? "reachable" : "unreachable",
            pendingRecords: current.pendingRecords,
            spooledRecords: current.spooledRecords
        )
        return JSONResponse.make(report)
    }
}
