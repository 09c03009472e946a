import ConcordCore
import Foundation
import Testing

@testable import ConcordWire

/// Callers' requests are read with `JSONParser`; the reader must give exactly what `JSONDecoder` gives, and leave
/// every request it cannot read as it stands to `JSONDecoder`, whose errors name the field.
@Suite struct ParsedRequestTests {
    static let requests = [
        OpenAIRequestJSONTests.everyField,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
        #"{"model":"m","messages":[{"role":"assistant","content":null,"name":"bot"},"#
            + #"{"role":"user","content":[{"type":"text","text":"a"}]}],"user":"u-1","seed":null,"n":1,"#
            + #""temperature":null,"tool_choice":"auto","stop":"END","max_tokens":5}"#,
    ]

    @Test(arguments: requests)
    func readsAsJSONDecoderDoes(body: String) throws {
        let parsed = try OpenAIWire.Request(parsed: JSONParser.parse(body))
        let decoded = try WireJSON.decodeRequest(OpenAIWire.Request.self, from: Data(body.utf8))
        let parsedJSON = try JSONSerialization.jsonObject(with: WireJSON.encode(parsed)) as? NSDictionary
        let decodedJSON = try JSONSerialization.jsonObject(with: WireJSON.encode(decoded)) as? NSDictionary
        #expect(parsedJSON != nil)
        #expect(parsedJSON == decodedJSON)
    }

    @Test(arguments: [
        (#"{"model":"m","messages":[{"content":"no role"}]}"#, "messages[0].role"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#, "temperature"),
        (
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}"#,
            "tools[0].function"
        ),
        (#"{"messages":[]}"#, "model"),
    ])
    func requestsItCannotReadGetTheFieldNamed(body: String, field: String) {
        let error = #expect(throws: GatewayError.self) { try OpenAIChatFormat.decodeRequest(Data(body.utf8)) }
        #expect(error?.field == field)
    }

    static let anthropicRequests = [
        AnthropicWireJSONWriterTests.everyField,
        #"{"model":"claude","max_tokens":10,"system":"Be brief.","messages":[{"role":"user","content":"hi"}],"#
            + #""metadata":{"user_id":"u"},"tools":[{"name":"t","input_schema":null}],"temperature":null}"#,
    ]

    @Test(arguments: anthropicRequests)
    func anthropicRequestsReadAsJSONDecoderDoes(body: String) throws {
        let parsed = try AnthropicRequestBody(parsed: JSONParser.parse(body))
        let decoded = try WireJSON.decodeRequest(AnthropicRequestBody.self, from: Data(body.utf8))
        let parsedJSON = try JSONSerialization.jsonObject(with: WireJSON.encode(parsed)) as? NSDictionary
        let decodedJSON = try JSONSerialization.jsonObject(with: WireJSON.encode(decoded)) as? NSDictionary
        #expect(parsedJSON != nil)
        #expect(parsedJSON == decodedJSON)
    }

    @Test func anthropicRequestsItCannotReadGetTheFieldNamed() {
        let body = #"{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":42}]}"#
        let error = #expect(throws: GatewayError.self) { try AnthropicMessagesFormat.decodeRequest(Data(body.utf8)) }
        #expect(error?.field == "messages[0].content")
    }
}
