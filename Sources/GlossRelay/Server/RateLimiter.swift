import Foundation

/// A token bucket per bearer token: `burst` requests at once, refilled at `rate` a second, so
/// one client cannot starve the rest. It counts the requests this process answers; with several
/// relays behind a balancer, each allows its own share.
actor RateLimiter {
    private let rate: Double
    private let burst: Double
    private var buckets: [String: (tokens: Double, time: Double)] = [:]
    private var lastSweep = 0.0

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
    }

    /// Takes one request from `key`'s bucket: nil when it may go, else the seconds until it may.
    func take(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Double? {
        sweep(now)
        var bucket = buckets[key] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.time) * rate)
        bucket.time = now
        defer { buckets[key] = bucket }
        guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
        bucket.tokens -= 1
        return nil
    }

    /// Forgets buckets full again (idle long enough to refill), once a minute.
    private func sweep(_ now: Double) {
        guard now - lastSweep > 60 else { return }
        lastSweep = now
        buckets = buckets.filter { min(burst, $0.value.tokens + (now - $0.value.time) * rate) < burst }
    }
}
