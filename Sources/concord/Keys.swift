import ArgumentParser
import ConcordServer

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys: create (shown once, stored hashed), list, revoke.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a new API key and print it once.")

        @Option(name: .long, help: "The user the key belongs to (recorded as user_id on every call made with it).")
        var user: String

        @Option(
            name: .long, help: "admin (sees everything, manages keys and models) or user (sees only its own calls).")
        var role: String = "user"

        @Option(name: .long, help: "A label to tell keys apart.")
        var name: String?

        @OptionGroup var options: DatabaseOptions

        func validate() throws {
            guard AuthenticatedCaller.Role(rawValue: role) != nil else {
                throw ValidationError("--role must be 'admin' or 'user'.")
            }
            guard !user.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--user must not be empty.")
            }
        }

        func run() async throws {
            print(
                try await KeyAdministration.create(
                    databaseURL: try options.databaseURL(),
                    userID: user,
                    role: AuthenticatedCaller.Role(rawValue: role) ?? .user,
                    name: name
                )
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (their prefixes, never the keys).")

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            print(try await KeyAdministration.list(databaseURL: try options.databaseURL(), json: json))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; gateways refuse it within seconds.")

        @Argument(help: "The key's id (from 'concord keys list').")
        var id: String

        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            guard let record = try await KeyAdministration.revoke(databaseURL: try options.databaseURL(), id: id) else {
                throw ValidationError("No key with id '\(id)'.")
            }
            print("Revoked key \(record.id) of user '\(record.userID)'.")
        }
    }
}

extension DatabaseOptions {
    /// The database URL from the flag, the environment or the configuration file.
    func databaseURL() throws -> String {
        try ServerConfiguration.load(overrides: .init(databaseURL: database, configPath: config)).databaseURL
    }
}
