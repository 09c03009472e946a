import Hummingbird

/// The chat route shared by both wire formats: authentication, body parsing, faults, then the answer.
struct ChatEndpoint<Format: ChatWireFormat>: Sendable {
    /// Long conversations are large; the default 2 MB upload limit would reject realistic benchmark prompts.
    static var maximumBodySize: Int { 32 * 1024 * 1024 }
    /// How long `hang` waits: "forever" for any test, yet the task still ends one day if nobody cancels it.
    static var hangDuration: Duration { .seconds(3_600) }
    /// `stream-cut` sends this many content deltas before dropping the connection.
    static var deltasBeforeCut: Int { 2 }
    /// `retry-after` seconds on injected 429s.
    static var retryAfterSeconds: String { "7" }

    func respond(to request: Request, context: MockUpstreamRequestContext) async throws -> Response {
        guard let key = Format.receivedKey(in: request.headers) else {
            return errorResponse(Format.missingKeyError, key: nil)
        }
        let summary: ChatRequestSummary
        do {
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maximumBodySize)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw UpstreamError(
                    status: .contentTooLarge, kind: .requestTooLarge, message: "The request body is too large.")
            }
            let json: JSON
            do {
                json = try JSON.parse(body)
            } catch {
                throw UpstreamError.invalidRequest("The request body is not valid JSON: \(error).")
            }
            summary = try Format.summarize(json)
        } catch let error as UpstreamError {
            return errorResponse(error, key: key)
        }

        let faults = FaultPlan(model: summary.model)
        if faults.failure == .hang {
            try await hang(context)
        }
        // Streams wait inside the body, after the headers, as a slow first token does.
        if let latency = faults.latency, !summary.stream || faults.failsWithStatus {
            try await Task.sleep(for: latency)
        }

        switch faults.failure {
        case .status(let code):
            var response = errorResponse(.injected(status: code, model: summary.model), key: key)
            if code == 429 { response.headers[.retryAfter] = Self.retryAfterSeconds }
            return response
        case .malformed where summary.stream:
            return streamResponse(Format.malformedEvents(to: summary), key: key, pacing: StreamPacing(faults: faults))
        case .malformed:
            return bodyResponse(
                .ok, ByteBuffer(string: "<html><body>mock upstream: this body is not JSON</body></html>"), key: key)
        case .streamCut, .hang, nil:
            break
        }

        let answer = MockAnswer(answering: summary)
        if summary.stream {
            let script = Format.answerEvents(answer, to: summary)
            var pacing = StreamPacing(faults: faults)
            if faults.failure == .streamCut {
                pacing.cutAfter = min(script.events.count - 1, script.firstContentIndex + Self.deltasBeforeCut)
            }
            return streamResponse(script.events, key: key, pacing: pacing)
        }
        var answerBody = Format.answerBody(answer, to: summary)
        if faults.failure == .streamCut {
            answerBody =
                answerBody.getSlice(at: answerBody.readerIndex, length: answerBody.readableBytes / 2) ?? ByteBuffer()
        }
        return bodyResponse(.ok, answerBody, key: key)
    }

    /// Waits until the client gives up (closes the connection) or the task is cancelled, then fails.
    private func hang(_ context: MockUpstreamRequestContext) async throws -> Never {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Task.sleep(for: Self.hangDuration) }
            group.addTask { try await context.clientDisconnected() }
            try await group.next()
            group.cancelAll()
        }
        throw CancellationError()
    }

    private func errorResponse(_ error: UpstreamError, key: String?) -> Response {
        bodyResponse(error.status, Format.errorBody(error), key: key)
    }

    private func bodyResponse(_ status: HTTPResponse.Status, _ body: ByteBuffer, key: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.mockReceivedKey] = key }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private func streamResponse(_ events: [ByteBuffer], key: String, pacing: StreamPacing) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            .cacheControl: "no-cache",
            .mockReceivedKey: key,
        ]
        return Response(status: .ok, headers: headers, body: pacing.body(for: events))
    }
}
