import Hummingbird

/// The usage routes: `/metrics` (no key, like `/health`), `/api/llm/stats` behind the API key, and the
/// `/dashboard` pages behind a session cookie.
func addUsageRoutes(to router: Router<GatewayRequestContext>, _ dependencies: RouterDependencies, auth: AuthMiddleware)
{
    PrometheusExport.bootstrap()
    let offLoop = router.group().add(middleware: OffEventLoopMiddleware())
    offLoop.get("/metrics", use: MetricsController(health: dependencies.health).scrape)
    guard let usage = dependencies.usage else { return }
    router.group("api/llm").add(middleware: auth).add(middleware: OffEventLoopMiddleware())
        .get("stats", use: StatsController(usage: usage).report)
    DashboardController(
        usage: usage,
        history: dependencies.history,
        verifier: dependencies.verifier,
        sessions: DashboardSessions()
    ).register(on: offLoop)
}
