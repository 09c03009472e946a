public import Hummingbird

/// `GET /metrics`: every swift-metrics value in Prometheus text format, with the writer's backlog read at scrape
/// time. Labels carry models, providers and statuses, never users or keys, so like `/health` it needs no key.
struct MetricsController: Sendable {
    let health: HealthController

    func scrape(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let status = await health.status()
        CallMetrics.recordBacklog(pending: status.pendingRecords, spooled: status.spooledRecords)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: PrometheusExport.text()))
        )
    }
}
