/// An error from the store that callers may want to tell apart (a bad URL at startup, a bad cursor from a client).
///
/// A struct around a private enum, so new cases never break callers that switch on `code`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable {
            case unsupportedDatabaseURL
            case invalidCursor
            case spoolUnavailable
            case connectionClosed
            case storeClosed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The database URL names no driver the store has, or is malformed.
        public static let unsupportedDatabaseURL = Code(.unsupportedDatabaseURL)
        /// A pagination cursor the store did not hand out (or that was altered).
        public static let invalidCursor = Code(.invalidCursor)
        /// The local spool file cannot be opened or is in use by another process.
        public static let spoolUnavailable = Code(.spoolUnavailable)
        /// The database ended the connection (a restart, an outage) before a statement could be sent.
        public static let connectionClosed = Code(.connectionClosed)
        /// The store was shut down (`SQLStore.shutdown()`) before the statement.
        public static let storeClosed = Code(.storeClosed)

        public var description: String {
            switch base {
            case .unsupportedDatabaseURL: "unsupportedDatabaseURL"
            case .invalidCursor: "invalidCursor"
            case .spoolUnavailable: "spoolUnavailable"
            case .connectionClosed: "connectionClosed"
            case .storeClosed: "storeClosed"
            }
        }
    }

    public var code: Code
    /// Safe to show: never contains credentials or record contents.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "StoreError.\(code): \(message)" }
}
