import HTTPTypes

extension HTTPField.Name {
    /// Echoes the credential the mock received, so gateway tests can check the upstream got the
    /// provider's key and never the caller's gateway key.
    static let mockReceivedKey = HTTPField.Name("x-mock-received-key")!
    static let anthropicAPIKey = HTTPField.Name("x-api-key")!
    static let retryAfter = HTTPField.Name("retry-after")!
}
