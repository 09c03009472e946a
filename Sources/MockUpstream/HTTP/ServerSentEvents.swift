import Hummingbird

/// Server-sent event framing, written straight into buffers.
enum ServerSentEvents {
    /// `data: <json>` — OpenAI's framing, which names no event type.
    static func data(_ payload: JSON) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeStaticString("data: ")
        payload.write(into: &buffer)
        buffer.writeStaticString("\n\n")
        return buffer
    }

    /// `event: <name>` + `data: <json>` — Anthropic's framing, where the event name repeats the payload's `type`.
    static func event(_ name: String, _ payload: JSON) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeStaticString("event: ")
        buffer.writeString(name)
        buffer.writeStaticString("\ndata: ")
        payload.write(into: &buffer)
        buffer.writeStaticString("\n\n")
        return buffer
    }

    static func raw(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}
