#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// The `Date` response header value (IMF-fixdate, RFC 9110 §5.6.7), recomputed at most once per
/// second: formatting a date for every response would cost more than the rest of a trivial one.
/// Shared by all threads of a server; the lock is held only to swap a string.
final class HTTPDateClock: Sendable {
    private let cache = Mutex<(second: Int, text: String)>((-1, ""))

    /// The current time as "Sun, 06 Nov 1994 08:49:37 GMT".
    func current() -> String {
        let now = time(nil)
        return self.cache.withLock { cache in
            if cache.second != now {
                cache = (now, HTTPDateClock.format(now))
            }
            return cache.text
        }
    }

    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since the Unix epoch as an IMF-fixdate.
    static func format(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func twoDigits(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(dayNames[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(monthNames[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }
}
