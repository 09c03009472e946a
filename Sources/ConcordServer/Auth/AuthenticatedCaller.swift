/// Who made a request, as established from their API key.
public struct AuthenticatedCaller: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, Codable {
        case admin, user
    }

    /// The key's user: what `user_id` records carry.
    public var userID: String
    public var role: Role
    /// The key's id in the key store; `nil` for the bootstrap admin key.
    public var keyID: String?

    public init(userID: String, role: Role, keyID: String? = nil) {
        self.userID = userID
        self.role = role
        self.keyID = keyID
    }

    public var isAdmin: Bool { role == .admin }
}
