public import ConcordCore

/// A streamed answer as canonical events, whatever the provider. The sequence is `Sendable` so it can be
/// handed to the task that writes the response; its iterator is used by that one task only.
public struct ChatEventStream: AsyncSequence, Sendable {
    public typealias Element = StreamEvent

    private let makeSource: @Sendable () -> any ChatEventSource

    /// - Parameter makeSource: called once per iteration, in the iterating task.
    public init(_ makeSource: @escaping @Sendable () -> any ChatEventSource) {
        self.makeSource = makeSource
    }

    /// A stream of events known in advance.
    public init(events: [StreamEvent]) {
        self.init { FixedEventSource(events: events) }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: makeSource())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var source: any ChatEventSource

        public mutating func next() async throws -> StreamEvent? {
            try await source.next()
        }
    }
}

/// Where a `ChatEventStream`'s events come from: one upstream response being read.
public protocol ChatEventSource {
    /// The next event, `nil` at a complete end; throws `GatewayError` if the stream fails.
    mutating func next() async throws -> StreamEvent?
}

struct FixedEventSource: ChatEventSource {
    var events: [StreamEvent]
    var position = 0

    mutating func next() async throws -> StreamEvent? {
        guard position < events.count else { return nil }
        defer { position += 1 }
        return events[position]
    }
}
