import ConcordCore
public import ConcordGateway
public import Hummingbird

/// `GET /v1/models`: the models a caller may name, in OpenAI's list shape.
public struct ModelsController: Sendable {
    let gateway: Gateway
    let defaultModel: String

    public init(gateway: Gateway, defaultModel: String) {
        self.gateway = gateway
        self.defaultModel = defaultModel
    }

    struct ModelList: Encodable {
        struct Entry: Encodable {
            var id: String
            var object = "model"
            var created = 0
            var ownedBy: String
            enum CodingKeys: String, CodingKey {
                case id, object, created
                case ownedBy = "owned_by"
            }
        }
        var object = "list"
        var data: [Entry]
    }

    public func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var entries = gateway.catalog.models.filter(\.enabled).map {
            ModelList.Entry(id: $0.id, ownedBy: $0.provider.rawValue)
        }
        if !entries.contains(where: { $0.id == defaultModel }) {
            entries.append(ModelList.Entry(id: defaultModel, ownedBy: "mock"))
        }
        return JSONResponse.make(ModelList(data: entries))
    }
}
