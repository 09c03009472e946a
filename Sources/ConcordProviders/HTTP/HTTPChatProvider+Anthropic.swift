public import ConcordWire

extension HTTPChatProvider where Format == AnthropicMessagesFormat {
    public static func anthropic(client: UpstreamClient) -> Self {
        HTTPChatProvider(client: client, endpoint: .anthropic)
    }
}
