public import Hummingbird
import NIOCore

/// The mock's request context: Hummingbird's basic context plus the connection, which a `hang`
/// request watches so that it ends when its client gives up instead of blocking graceful shutdown.
public struct MockUpstreamRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
