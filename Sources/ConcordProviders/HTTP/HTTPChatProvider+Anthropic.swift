public import AsyncHTTPClient
public import ConcordWire

extension HTTPChatProvider where Format == AnthropicMessagesFormat {
    public static func anthropic(client: HTTPClient) -> Self {
        HTTPChatProvider(client: client, endpoint: .anthropic)
    }
}
