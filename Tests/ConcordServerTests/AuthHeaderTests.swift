import HTTPTypes
import Testing

@testable import ConcordServer

/// Which key a request presents: what every SDK and curl sends must be read, anything else refused.
@Suite struct AuthHeaderTests {
    @Test(arguments: [
        ("Bearer sk-one", "sk-one"),
        ("bearer sk-one", "sk-one"),
        ("BEARER sk-one", "sk-one"),
        ("Bearer   sk-one  ", "sk-one"),
        ("Bearer\tsk-one", "sk-one"),
    ])
    func bearerKeysAreRead(header: String, key: String) {
        #expect(AuthMiddleware.presentedKey([.authorization: header]) == key)
    }

    @Test(arguments: ["Basic c2stb25lOg==", "Bearer", "Bearer   ", "Bearers sk-one", "sk-one", ""])
    func otherAuthorizationIsRefused(header: String) {
        #expect(AuthMiddleware.presentedKey([.authorization: header]) == nil)
    }

    @Test func anthropicHeaderIsRead() throws {
        let name = try #require(HTTPField.Name("x-api-key"))
        #expect(AuthMiddleware.presentedKey([name: "sk-ant"]) == "sk-ant")
        #expect(AuthMiddleware.presentedKey([name: ""]) == nil)
        #expect(AuthMiddleware.presentedKey([:]) == nil)
    }
}
