import AdminProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in milliseconds since the epoch.
enum DemoClock {
    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// A price of one ticker at one time, as written to `prices`.
struct PriceTick: Hashable, Sendable {
    var ticker: String
    /// The price in cents.
    var cents: Int
    var timestampMs: Int64

    /// `{"ticker":"AAPL","price":189.52,"ts":1700000000000}`.
    var json: String {
        #"{"ticker":"\#(ticker)","price":\#(Money.format(cents: cents)),"ts":\#(timestampMs)}"#
    }

    /// The record: keyed by ticker (so a ticker always lands in the same partition), stamped
    /// with the tick's time.
    var record: ProduceRecord {
        ProduceRecord(key: Array(ticker.utf8), value: Array(json.utf8), timestampMs: timestampMs)
    }

    /// Reads a record value written by ``json``; nil for anything else.
    init?(json bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self),
            let ticker = JSONField.string("ticker", in: text),
            let price = JSONField.number("price", in: text),
            let cents = Money.cents(price),
            let ts = JSONField.number("ts", in: text).flatMap({ Int64($0) })
        else { return nil }
        self.init(ticker: ticker, cents: cents, timestampMs: ts)
    }

    init(ticker: String, cents: Int, timestampMs: Int64) {
        self.ticker = ticker
        self.cents = cents
        self.timestampMs = timestampMs
    }
}

/// A random walk of six tickers, each tick moving one price by up to ±1 %. Kafka's partitioner
/// puts two tickers on each of the three `prices` partitions (AAPL, MSFT → 0; NFLX, INTC → 1;
/// AMZN, NVDA → 2), so every partition of the demo has traffic.
struct Market: Sendable {
    static let startingCents: [(ticker: String, cents: Int)] = [
        ("AAPL", 189_50), ("MSFT", 415_20), ("NFLX", 642_80), ("AMZN", 178_30), ("INTC", 35_10), ("NVDA", 875_40),
    ]
    private var cents: [Int] = Market.startingCents.map(\.cents)

    /// The next price of a random ticker, at `timestampMs`.
    mutating func tick(at timestampMs: Int64) -> PriceTick {
        var random = SystemRandomNumberGenerator()
        let index = Int.random(in: 0..<cents.count, using: &random)
        let basisPoints = Int.random(in: -100...100, using: &random)
        cents[index] = max(100, cents[index] + cents[index] * basisPoints / 10_000)
        return PriceTick(ticker: Market.startingCents[index].ticker, cents: cents[index], timestampMs: timestampMs)
    }

    /// Sets the price of `ticker` (ignored for a ticker the market does not trade).
    mutating func set(_ ticker: String, cents: Int) {
        guard let index = Market.startingCents.firstIndex(where: { $0.ticker == ticker }), cents > 0 else { return }
        self.cents[index] = cents
    }
}

/// Prices as decimal text with two places, without Foundation's formatters.
enum Money {
    /// `18952` → `189.52`.
    static func format(cents: Int) -> String {
        let fraction = abs(cents) % 100
        return "\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Cents of a non-negative decimal like `189.5` or `189.52` (further places are dropped).
    static func cents(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0 else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        var fraction = String(parts[1].prefix(2))
        while fraction.count < 2 { fraction += "0" }
        guard let hundredths = Int(fraction), hundredths >= 0 else { return nil }
        return whole * 100 + hundredths
    }
}

/// Just enough of JSON to read back the flat objects this module writes itself.
enum JSONField {
    /// The string value of `"name":"…"` (no escapes: the demo's strings have none).
    static func string(_ name: String, in text: String) -> String? {
        guard let start = text.firstRange(of: "\"\(name)\":\"") else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// The text of the number in `"name":123.45`.
    static func number(_ name: String, in text: String) -> String? {
        guard let start = text.firstRange(of: "\"\(name)\":") else { return nil }
        let digits = text[start.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
        return digits.isEmpty ? nil : String(digits)
    }
}
