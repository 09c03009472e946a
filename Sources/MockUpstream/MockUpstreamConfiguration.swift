/// Where the mock upstream listens.
public struct MockUpstreamConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8081) {
        self.host = host
        self.port = port
    }
}
