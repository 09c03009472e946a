public import ConcordCore
import ConcordProviders
import Synchronization

/// A streamed call in progress: its ids, known before the first event, and its events. Iterating the
/// events records the call when they end or fail; a caller that stops early (a disconnect) is recorded
/// when the stream is let go.
public struct GatewayStream: Sendable {
    let call: StreamCall
    let upstream: ChatEventStream

    init(call: StreamCall, events: ChatEventStream) {
        self.call = call
        self.upstream = events
    }

    public var callID: String { call.call.callID }
    public var traceID: String { call.call.context.traceID }

    /// The events, each observed for the record on its way through.
    public var events: RecordedEvents { RecordedEvents(call: call, upstream: upstream) }
}

/// The events of a `GatewayStream`.
public struct RecordedEvents: AsyncSequence, Sendable {
    public typealias Element = StreamEvent
    let call: StreamCall
    let upstream: ChatEventStream

    public func makeAsyncIterator() -> Iterator {
        Iterator(call: call, upstream: upstream.makeAsyncIterator())
    }

    public struct Iterator: AsyncIteratorProtocol {
        let call: StreamCall
        var upstream: ChatEventStream.AsyncIterator

        public mutating func next() async throws -> StreamEvent? {
            do {
                guard let event = try await upstream.next() else {
                    call.finish(failure: nil)
                    return nil
                }
                call.observe(event)
                return event
            } catch {
                let failure = GatewayFailure.from(error)
                call.finish(failure: failure)
                throw failure
            }
        }
    }
}

/// The record-keeping of one streamed call: assembles the answer as it passes and records exactly once.
final class StreamCall: Sendable {
    /// The most answer text and tool arguments a streamed call's record assembles — as much as a whole non-streamed
    /// answer may hold — so an upstream that streams without end cannot grow it without end. The caller still gets
    /// every event; the record keeps the first part.
    static let maximumAssembledBytes = 64 << 20

    struct Assembly {
        var text = ""
        /// UTF-8 bytes of `text` and the tool arguments.
        var assembledBytes = 0
        var toolCalls: [ToolCall] = []
        var finishReason: FinishReason?
        var usage: Usage?
        var ttftMs: Int?
        var recorded = false
    }

    let call: CallInProgress
    let route: ModelRoute
    let recorder: any CallRecorder
    private let assembly = Mutex(Assembly())

    init(call: CallInProgress, route: ModelRoute, recorder: any CallRecorder) {
        self.call = call
        self.route = route
        self.recorder = recorder
    }

    func observe(_ event: StreamEvent) {
        assembly.withLock { state in
            switch event {
            case .textDelta(let text):
                if state.assembledBytes < Self.maximumAssembledBytes {
                    state.text += text
                    state.assembledBytes += text.utf8.count
                }
            case .toolCallStarted(let index, let id, let name):
                while state.toolCalls.count <= index {
                    state.toolCalls.append(ToolCall(id: "", name: "", arguments: ""))
                }
                state.toolCalls[index].id = id
                state.toolCalls[index].name = name
            case .toolCallArgumentsDelta(let index, let fragment):
                if index < state.toolCalls.count, state.assembledBytes < Self.maximumAssembledBytes {
                    state.toolCalls[index].arguments += fragment
                    state.assembledBytes += fragment.utf8.count
                }
            case .finished(let reason):
                state.finishReason = reason
            case .usage(let usage):
                state.usage = usage
            }
            if state.ttftMs == nil, event.carriesContent {
                state.ttftMs = call.elapsedMilliseconds
            }
        }
    }

    /// Records the call once; later calls do nothing.
    func finish(failure: GatewayError?) {
        let record = assembly.withLock { state -> CallRecord? in
            guard !state.recorded else { return nil }
            state.recorded = true
            var record = call.baseRecord(route: route)
            record.responseContent = state.text.isEmpty && !state.toolCalls.isEmpty ? nil : state.text
            record.toolCalls = CallInProgress.encodeToolCalls(state.toolCalls)
            record.finishReason = state.finishReason?.rawValue
            record.ttftMs = state.ttftMs
            call.apply(state.usage, route: route, to: &record)
            if let failure {
                record.status = .error
                record.errorMessage = failure.message
            }
            return record
        }
        if let record { recorder.record(record) }
    }

    deinit {
        finish(failure: GatewayError(.clientDisconnected, "The caller went away before the stream was complete."))
    }
}

extension StreamEvent {
    var carriesContent: Bool {
        switch self {
        case .textDelta, .toolCallStarted, .toolCallArgumentsDelta: true
        case .finished, .usage: false
        }
    }
}
