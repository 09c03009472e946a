import Testing

@testable import ConcordWire

@Suite("SSE parsing")
struct SSEParserTests {
    private func parse(_ chunks: [String]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks { events += parser.feed(Array(chunk.utf8)) }
        return events + parser.finish()
    }

    @Test("an event split across network chunks at any byte arrives whole, once")
    func splitAnywhere() {
        let stream = "event: message_start\ndata: {\"a\":1}\n\ndata: {\"b\":2}\n\n"
        let expected = [SSEEvent(event: "message_start", data: "{\"a\":1}"), SSEEvent(data: "{\"b\":2}")]
        let bytes = Array(stream.utf8)
        for cut in 1..<bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...]) + parser.finish()
            #expect(events == expected, "cut at \(cut)")
        }
    }

    @Test("an event that outgrows the bound — a line that never ends — stops the parser instead of growing it")
    func eventOverTheBound() {
        var parser = SSEParser(maximumEventBytes: 100)
        #expect(parser.feed(Array("data: small\n\n".utf8)).map(\.data) == ["small"])
        let endless = Array(("data: " + String(repeating: "x", count: 200)).utf8)
        #expect(parser.feed(endless[..<50]).isEmpty)
        #expect(!parser.isOverLimit)
        _ = parser.feed(endless[50...])
        #expect(parser.isOverLimit)
        #expect(parser.feed(Array("\n\ndata: more\n\n".utf8)).isEmpty)
    }

    @Test("several data lines join with newlines")
    func multiLineData() {
        #expect(parse(["data: first\ndata: second\ndata:third\n\n"]) == [SSEEvent(data: "first\nsecond\nthird")])
    }

    @Test("comments and unknown fields are skipped; keep-alives produce no event")
    func commentsIgnored() {
        let events = parse([": keep-alive\n\n", "id: 7\nretry: 100\n: note\ndata: x\n\n"])
        #expect(events == [SSEEvent(data: "x")])
    }

    @Test("CRLF and CR line endings work, including a CRLF split between chunks")
    func lineEndings() {
        #expect(parse(["data: a\r\n\r\n", "data: b\r\r"]) == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(parse(["data: a\r", "\n\r", "\ndata: b\n\n"]) == [SSEEvent(data: "a"), SSEEvent(data: "b")])
    }

    @Test("[DONE] is an ordinary data event for the format to interpret")
    func doneMarker() {
        #expect(parse(["data: {}\n\ndata: [DONE]\n\n"]).last == SSEEvent(data: "[DONE]"))
    }

    @Test("an event without its closing blank line is delivered when the stream ends")
    func unterminatedEvent() {
        #expect(parse(["data: tail"]) == [SSEEvent(data: "tail")])
    }

    @Test("framing and parsing round-trip, multi-line data included")
    func framingRoundTrip() {
        let events = [SSEEvent(event: "ping", data: "{}"), SSEEvent(data: "line one\nline two")]
        #expect(parse([events.map(\.framed).joined()]) == events)
    }
}
