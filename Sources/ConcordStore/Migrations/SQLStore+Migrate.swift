import Logging
import SQLKit

extension SQLStore {
    /// The PostgreSQL advisory lock that serialises migrators: any constant shared by every gateway version.
    static let migrationLockKey: Int = 0x436F_6E63_6F72_64  // "Concord"

    /// Applies every migration not yet recorded in `concord_migrations`, each in its own transaction.
    ///
    /// Safe when several processes start at once: on PostgreSQL they queue on an advisory lock (held by this
    /// connection, so a crashed migrator releases it); on SQLite each migration re-checks its version inside a
    /// `BEGIN IMMEDIATE` transaction, which admits one writer at a time.
    public func migrate() async throws {
        let flavor = self.flavor
        let schema = self.schema
        let logger = self.logger
        try await connections.withConnection { database in
            if flavor == .postgres {
                try await database.raw("SELECT pg_advisory_lock(\(bind: Self.migrationLockKey))").run()
            }
            do {
                if let schema {
                    try await database.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                }
                try await Self.applyPending(on: database, flavor: flavor, logger: logger)
            } catch {
                if flavor == .postgres {
                    try? await database.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
                }
                throw error
            }
            if flavor == .postgres {
                try await database.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
            }
        }
    }

    private static func applyPending(on database: any SQLDatabase, flavor: DatabaseFlavor, logger: Logger) async throws
    {
        try await database.raw(
            """
            CREATE TABLE IF NOT EXISTS concord_migrations (
                version \(unsafeRaw: flavor.integerType) PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at \(unsafeRaw: flavor.timestampType) NOT NULL
            )
            """
        ).run()
        let applied = Set(
            try await database.select().column("version").from("concord_migrations").all()
                .map { try $0.decode(column: "version", as: Int.self) }
        )
        for migration in Migration.all where !applied.contains(migration.version) {
            let didApply = try await database.transaction(flavor) { database in
                let alreadyApplied =
                    try await database.select().column("version").from("concord_migrations")
                    .where("version", .equal, migration.version).first() != nil
                guard !alreadyApplied else { return false }
                for statement in migration.statements(flavor) {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await database.insert(into: "concord_migrations")
                    .columns("version", "name", "applied_at")
                    .values(migration.version, migration.name, DatabaseTimestamp.now())
                    .run()
                return true
            }
            if didApply {
                logger.info(
                    "applied migration",
                    metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"]
                )
            }
        }
    }
}
