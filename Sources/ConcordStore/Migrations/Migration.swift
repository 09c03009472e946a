/// One numbered schema change. Migrations are append-only: a released migration is never edited, a later one
/// changes what it made.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// DDL only (no values), written once with the flavor's type names filled in.
    var statements: @Sendable (DatabaseFlavor) -> [String]
}
