public import Hummingbird

/// Runs the routes it guards on Swift's global executor instead of the connection's event loop
/// (`EventLoopBoundChannel`).
///
/// Calls are light and latency-bound, so they stay on their loop. Reports, dashboard pages, history listings and
/// admin work can spend milliseconds of CPU on rows; on the loop that would stall every call sharing it, so
/// those routes pay two thread hand-offs instead.
public struct OffEventLoopMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTaskExecutorPreference(globalConcurrentExecutor) { try await next(request, context) }
    }
}
