import Metrics
import Prometheus

/// Strata's own metrics (requests by route and status come from Hummingbird's MetricsMiddleware),
/// exposed in Prometheus format at /metrics.
struct ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    /// Bytes of package files sent to players.
    let bytesServed: Metrics.Counter
    /// Seconds each finished transcode took.
    let transcodeSeconds: Recorder

    /// Sets up the process-wide metrics system with a Prometheus registry.
    static func bootstrap() -> ServerMetrics {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { label, dimensions in
            (prometheusName(label), dimensions.map { (prometheusName($0.0), $0.1) })
        }
        factory.defaultValueHistogramBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]
        MetricsSystem.bootstrap(factory)
        return ServerMetrics(registry: registry,
                             bytesServed: Metrics.Counter(label: "strata_bytes_served_total"),
                             transcodeSeconds: Recorder(label: "strata_transcode_seconds", aggregate: true))
    }

    /// A gauge of jobs in `state`.
    func jobs(_ state: String) -> Metrics.Gauge {
        Metrics.Gauge(label: "strata_jobs", dimensions: [("state", state)])
    }

    /// Prometheus names are `[a-zA-Z_:][a-zA-Z0-9_:]*`: "hb.requests" becomes "hb_requests".
    static func prometheusName(_ name: String) -> String {
        String(name.enumerated().map { index, character in
            character.isASCII && (character.isLetter || character == "_" || character == ":" || (index > 0 && character.isNumber)) ? character : "_"
        })
    }
}
