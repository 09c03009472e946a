import Hummingbird

/// When a stream's events go out: all at once by default, or delayed, spaced or cut as the faults ask.
struct StreamPacing: Sendable {
    var firstEventDelay: Duration?
    var eventInterval: Duration?
    /// Send only this many events, then drop the connection without ending the response.
    var cutAfter: Int?

    init(faults: FaultPlan) {
        firstEventDelay = faults.latency
        eventInterval = faults.eventInterval
    }

    /// Thrown from the body writer to make the server drop the connection mid-stream.
    struct StreamCut: Error {}

    func body(for events: [ByteBuffer]) -> ResponseBody {
        ResponseBody { writer in
            if let firstEventDelay {
                try await Task.sleep(for: firstEventDelay)
            }
            guard eventInterval != nil || cutAfter != nil else {
                // The benchmark path: every event in one write (still one HTTP chunk per event).
                try await writer.write(contentsOf: events)
                try await writer.finish(nil)
                return
            }
            for (position, event) in events.prefix(cutAfter ?? events.count).enumerated() {
                if position > 0, let eventInterval {
                    try await Task.sleep(for: eventInterval)
                }
                try await writer.write(event)
            }
            if cutAfter != nil {
                throw StreamCut()
            }
            try await writer.finish(nil)
        }
    }
}
