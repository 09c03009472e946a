import CoreMetrics
import Prometheus

/// The process's Prometheus registry, behind swift-metrics. `MetricsSystem.bootstrap` may run only once per
/// process, so it runs in this global's initialiser, which Swift runs exactly once however many applications
/// (tests build many) ask for it.
enum PrometheusExport {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let callBuckets: [Duration] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120].map {
            .milliseconds($0 * 1000)
        }
        factory.durationHistogramBuckets = [
            CallMetrics.Name.duration: callBuckets,
            CallMetrics.Name.timeToFirstToken: callBuckets,
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Makes sure swift-metrics reports into `registry` from now on.
    static func bootstrap() {
        _ = registry
    }

    static func text() -> String {
        registry.emitToString()
    }
}
