public import AsyncHTTPClient
public import ConcordCore
import ConcordWire

/// The providers every gateway has: OpenAI-compatible and Anthropic upstreams over one shared HTTP
/// client, and the built-in mock.
public func standardProviders(httpClient: HTTPClient) -> [ProviderKind: any Provider] {
    [
        .openai: HTTPChatProvider.openAI(client: httpClient),
        .anthropic: HTTPChatProvider.anthropic(client: httpClient),
        .mock: MockProvider(),
    ]
}
