import Hummingbird

/// `GET /v1/models` and `GET /health`: fixed bodies, encoded once.
enum ModelCatalog {
    /// The plain model and one example of each fault, so a client listing models discovers them.
    static let modelNames = [
        "mock-model", "mock-latency-200", "mock-slow-stream-50", "mock-error-429", "mock-error-500", "mock-error-503",
        "mock-error-529", "mock-stream-cut", "mock-malformed", "mock-hang",
    ]

    private static let modelsBody: ByteBuffer = {
        let models: [JSON] = modelNames.map { name in
            ["id": .string(name), "object": "model", "created": 1_735_689_600, "owned_by": "concord-mock"]
        }
        var buffer = ByteBuffer()
        JSON.object([("object", "list"), ("data", .array(models))]).write(into: &buffer)
        return buffer
    }()

    /// OpenAI's list shape. Either provider's credential header is accepted, since both SDKs list models.
    static func response(to request: Request) -> Response {
        guard
            let key = OpenAIChatFormat.receivedKey(in: request.headers)
                ?? AnthropicMessagesFormat.receivedKey(in: request.headers)
        else {
            return Response(
                status: .unauthorized,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: OpenAIChatFormat.errorBody(OpenAIChatFormat.missingKeyError))
            )
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .mockReceivedKey: key],
            body: ResponseBody(byteBuffer: modelsBody)
        )
    }

    static var healthResponse: Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
}
