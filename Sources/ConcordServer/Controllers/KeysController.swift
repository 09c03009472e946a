import ConcordCore
public import ConcordStore
import ConcordWire
import Foundation
public import Hummingbird
import NIOFoundationCompat

/// `GET/POST /api/llm/keys`, `DELETE /api/llm/keys/{id}`: key management, admin only. A new key is in the
/// response to its creation and nowhere else, ever.
public struct KeysController: Sendable {
    let store: SQLStore
    let verifier: StoreKeyVerifier?

    public init(store: SQLStore, verifier: StoreKeyVerifier?) {
        self.store = store
        self.verifier = verifier
    }

    struct CreateInput: Decodable {
        var userID: String
        var role: AuthenticatedCaller.Role?
        var name: String?
        enum CodingKeys: String, CodingKey {
            case role, name
            case userID = "user_id"
        }
    }

    struct Created: Encodable {
        var key: String
        var record: APIKeyRecord

        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
        }

        enum CodingKeys: String, CodingKey { case key }
    }

    struct KeyList: Encodable {
        var data: [APIKeyRecord]
    }

    public func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        return JSONResponse.make(KeyList(data: try await store.keys()))
    }

    public func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let body = try await request.body.collect(upTo: 64 << 10)
        let input = try WireJSON.decodeRequest(
            CreateInput.self, from: Data(buffer: body, byteTransferStrategy: .noCopy))
        let user = input.userID.trimmingCharacters(in: .whitespaces)
        guard !user.isEmpty, user.count <= 200 else {
            throw GatewayError.invalidField("user_id", "'user_id' must be 1 to 200 characters.")
        }
        _ = try TextInput.check(user, field: "user_id")
        _ = try TextInput.check(input.name, field: "name")
        let issued = try await APIKeyIssuer.issue(in: store, userID: user, role: input.role ?? .user, name: input.name)
        return JSONResponse.make(Created(key: issued.key, record: issued.record), status: .created)
    }

    public func revoke(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let id = try context.parameters.require("id")
        guard let record = try await store.revokeKey(id: id) else {
            throw GatewayError(.notFound, "No key with id '\(id)'.")
        }
        verifier?.forget(keyID: id)
        return JSONResponse.make(record)
    }
}
