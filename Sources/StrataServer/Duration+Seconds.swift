extension Duration {
    /// The duration in seconds, fractions included (as PostgreSQL's `make_interval(secs =>)` and the logs take it).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
