public import ConcordCore
public import ConcordProviders
import Synchronization

/// The one gateway object every call goes through — HTTP routes and in-process agents alike.
///
/// It is the single interception point: it resolves the model, calls the provider, and makes the call's
/// record for every outcome (success, upstream error, timeout, unknown model, a stream cut or abandoned).
/// Nothing else makes records, so no call path can skip one.
public final class Gateway: Sendable {
    private let catalogState: Mutex<ModelCatalog>
    private let providers: [ProviderKind: any Provider]
    let recorder: any CallRecorder
    private let admission: (any CallAdmission)?

    /// - Parameters:
    ///   - admission: budgets and rate limits, checked before each call reaches its provider.
    ///   - recording: how much content records keep; applied to every record before `recorder` sees it.
    public init(
        catalog: ModelCatalog,
        providers: [ProviderKind: any Provider],
        recorder: any CallRecorder,
        admission: (any CallAdmission)? = nil,
        recording: RecordingPolicy = .full
    ) {
        self.catalogState = Mutex(catalog)
        self.providers = providers
        self.recorder = recording.keepsEverything ? recorder : PolicyRecorder(base: recorder, policy: recording)
        self.admission = admission
    }

    /// The recorder for one call: the gateway's, also telling the admission ticket when there is one.
    private func admit(_ call: CallInProgress) async throws -> any CallRecorder {
        guard let admission,
            let ticket = try await admission.admit(callID: call.callID, model: call.model, context: call.context)
        else { return recorder }
        return TicketedRecorder(base: recorder, ticket: ticket)
    }

    public var catalog: ModelCatalog { catalogState.withLock { $0 } }

    /// Replaces the routing table (after a model configuration change); calls in flight keep their route.
    public func updateCatalog(_ catalog: ModelCatalog) {
        catalogState.withLock { $0 = catalog }
    }

    /// A non-streamed call. Throws `GatewayError`; the call is recorded either way.
    /// - Parameters:
    ///   - context: who calls and in which trace; defaults to the task-local `CallContext.current`.
    ///   - callID: the record's id, chosen by the caller when it must announce it before the answer.
    public func chat(
        _ request: ChatRequest,
        context: CallContext? = nil,
        callID: String = CallContext.newCallID()
    ) async throws -> ChatResult {
        let call = CallInProgress(request: request, context: context ?? .inherited, callID: callID, isStream: false)
        var route: ModelRoute?
        var recorder = self.recorder
        do {
            let resolved = try catalog.route(for: request.model)
            route = resolved
            recorder = try await admit(call)
            let response = try await provider(for: resolved).complete(request, route: resolved)
            recorder.record(call.record(response: response, route: resolved))
            return ChatResult(callID: callID, traceID: call.context.traceID, response: response)
        } catch {
            let failure = GatewayFailure.from(error)
            recorder.record(call.record(failure: failure, route: route))
            throw failure
        }
    }

    /// Starts a streamed call. Returns once the upstream has accepted it, so a refusal is an ordinary error;
    /// the call is recorded when its events end, fail, or are abandoned by the caller.
    public func openStream(
        _ request: ChatRequest,
        context: CallContext? = nil,
        callID: String = CallContext.newCallID()
    ) async throws -> GatewayStream {
        let call = CallInProgress(request: request, context: context ?? .inherited, callID: callID, isStream: true)
        var route: ModelRoute?
        var recorder = self.recorder
        do {
            let resolved = try catalog.route(for: request.model)
            route = resolved
            recorder = try await admit(call)
            let events = try await provider(for: resolved).stream(request, route: resolved)
            return GatewayStream(call: StreamCall(call: call, route: resolved, recorder: recorder), events: events)
        } catch {
            let failure = GatewayFailure.from(error)
            recorder.record(call.record(failure: failure, route: route))
            throw failure
        }
    }

    private func provider(for route: ModelRoute) throws(GatewayError) -> any Provider {
        guard let provider = providers[route.model.provider] else {
            throw GatewayError(.modelNotFound, "The provider '\(route.model.provider.rawValue)' is not available.")
        }
        return provider
    }
}

/// A finished non-streamed call.
public struct ChatResult: Sendable {
    public var callID: String
    public var traceID: String
    public var response: ChatResponse
}

extension CallContext {
    /// The enclosing scope's context, or a fresh API context with a new trace.
    static var inherited: CallContext { CallContext.current ?? CallContext() }
}

enum GatewayFailure {
    static func from(_ error: any Error) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if error is CancellationError {
            return GatewayError(.clientDisconnected, "The caller went away before the answer was complete.")
        }
        return GatewayError(.internalError, "The gateway failed: \(error)")
    }
}
