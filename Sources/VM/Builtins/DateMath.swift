// Date arithmetic (ECMAScript §21.4.1): time values, calendar fields, MakeDay/MakeTime/TimeClip,
// formatting and parsing. The local time zone is UTC (offset 0).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

enum DateMath {
    static let msPerDay = 86_400_000.0
    static let msPerHour = 3_600_000.0
    static let msPerMinute = 60_000.0
    static let msPerSecond = 1000.0
    static let maxTime = 8.64e15

    /// The current time in milliseconds since the epoch.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)).rounded(.down)
    }

    @inline(__always) static func floorDiv(_ a: Double, _ b: Double) -> Double { (a / b).rounded(.down) }
    /// `a` modulo `b` with the sign of `b` (the spec's "modulo").
    @inline(__always) static func modulo(_ a: Double, _ b: Double) -> Double {
        let r = a.truncatingRemainder(dividingBy: b)
        return r < 0 ? r + b : r + 0
    }

    static func day(_ t: Double) -> Double { floorDiv(t, msPerDay) }
    static func timeWithinDay(_ t: Double) -> Double { modulo(t, msPerDay) }

    /// Days from 1970-01-01 to year-month-day (proleptic Gregorian; month 1…12). Exact in Double.
    static func daysFromCivil(_ year: Double, _ month: Int, _ dayOfMonth: Double) -> Double {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400                                   // [0, 399]
        let mp = Double((month + 9) % 12)                          // March = 0
        let doy = ((153 * mp + 2) / 5).rounded(.down) + dayOfMonth - 1
        let doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy
        return era * 146097 + doe - 719468
    }

    /// (year, month 0…11, date 1…31) of a day number.
    static func civilFromDays(_ z0: Double) -> (year: Double, month: Int, date: Int) {
        let z = z0 + 719468
        let era = floorDiv(z, 146097)
        let doe = z - era * 146097                                 // [0, 146096]
        let yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365)
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100))
        let mp = floorDiv(5 * doy + 2, 153)
        let d = Int(doy - floorDiv(153 * mp + 2, 5)) + 1
        let m = mp < 10 ? Int(mp) + 3 : Int(mp) - 9
        return (m <= 2 ? y + 1 : y, m - 1, d)
    }

    struct Fields {
        var year: Double
        var month: Int      // 0…11
        var date: Int       // 1…31
        var hours: Int
        var minutes: Int
        var seconds: Int
        var ms: Int
        var weekDay: Int    // 0 = Sunday
    }

    static func fields(_ t: Double) -> Fields {
        let d = day(t)
        let (y, m, dt) = civilFromDays(d)
        let tw = Int(timeWithinDay(t))
        let wd = Int(modulo(d + 4, 7))
        return Fields(year: y, month: m, date: dt, hours: tw / 3_600_000, minutes: (tw / 60_000) % 60,
                      seconds: (tw / 1000) % 60, ms: tw % 1000, weekDay: wd)
    }

    static func yearFromTime(_ t: Double) -> Double { civilFromDays(day(t)).year }
    static func monthFromTime(_ t: Double) -> Double { Double(civilFromDays(day(t)).month) }
    static func dateFromTime(_ t: Double) -> Double { Double(civilFromDays(day(t)).date) }

    @inline(__always) static func toInteger(_ d: Double) -> Double { d.rounded(.towardZero) + 0 }

    static func makeTime(_ h: Double, _ m: Double, _ s: Double, _ ms: Double) -> Double {
        if !h.isFinite || !m.isFinite || !s.isFinite || !ms.isFinite { return .nan }
        return toInteger(h) * msPerHour + toInteger(m) * msPerMinute + toInteger(s) * msPerSecond + toInteger(ms)
    }

    static func makeDay(_ year: Double, _ month: Double, _ date: Double) -> Double {
        if !year.isFinite || !month.isFinite || !date.isFinite { return .nan }
        let y = toInteger(year), m = toInteger(month), dt = toInteger(date)
        let ym = y + floorDiv(m, 12)
        if !ym.isFinite || Swift.abs(ym) > 400_000_000 { return .nan }
        let mn = Int(modulo(m, 12))
        return daysFromCivil(ym, mn + 1, 1) + dt - 1
    }

    static func makeDate(_ day: Double, _ time: Double) -> Double {
        if !day.isFinite || !time.isFinite { return .nan }
        let tv = day * msPerDay + time
        return tv.isFinite ? tv : .nan
    }

    static func timeClip(_ t: Double) -> Double {
        if !t.isFinite || Swift.abs(t) > maxTime { return .nan }
        return toInteger(t)
    }

    /// MakeFullYear: two-digit years are 1900s.
    static func fullYear(_ y: Double) -> Double {
        if y.isNaN { return y }
        let yi = toInteger(y)
        return yi >= 0 && yi <= 99 ? 1900 + yi : y
    }

    // MARK: Formatting

    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func yearString(_ y: Double) -> String {
        let yi = Int(y)
        return (yi < 0 ? "-" : "") + pad(Swift.abs(yi), 4)
    }

    /// "Tue Mar 05 2024"
    static func dateString(_ t: Double) -> String {
        let f = fields(t)
        return "\(dayNames[f.weekDay]) \(monthNames[f.month]) \(pad(f.date, 2)) \(yearString(f.year))"
    }

    /// "14:03:00 GMT+0000 (Coordinated Universal Time)"
    static func timeString(_ t: Double) -> String {
        let f = fields(t)
        return "\(pad(f.hours, 2)):\(pad(f.minutes, 2)):\(pad(f.seconds, 2)) GMT+0000 (Coordinated Universal Time)"
    }

    static func toDateString(_ t: Double) -> String {
        if t.isNaN { return "Invalid Date" }
        return dateString(t) + " " + timeString(t)
    }

    /// "Tue, 05 Mar 2024 14:03:00 GMT"
    static func utcString(_ t: Double) -> String {
        let f = fields(t)
        return "\(dayNames[f.weekDay]), \(pad(f.date, 2)) \(monthNames[f.month]) \(yearString(f.year)) "
            + "\(pad(f.hours, 2)):\(pad(f.minutes, 2)):\(pad(f.seconds, 2)) GMT"
    }

    /// "2024-03-05T14:03:00.000Z" (extended years as ±YYYYYY).
    static func isoString(_ t: Double) -> String {
        let f = fields(t)
        let yi = Int(f.year)
        // Digits written into one buffer: logging a timestamp per request is common, and the
        // interpolated form made a dozen small strings.
        return String(unsafeUninitializedCapacity: 27) { out in
            var n = 0
            func put(_ byte: UInt8) { out[n] = byte; n += 1 }
            func digits(_ value: Int, _ width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                var v = value
                while divisor > 0 {
                    put(UInt8(truncatingIfNeeded: 0x30 + v / divisor))
                    v %= divisor
                    divisor /= 10
                }
            }
            if yi >= 0 && yi <= 9999 {
                digits(yi, 4)
            } else {
                put(yi < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                digits(Swift.abs(yi), 6)
            }
            put(UInt8(ascii: "-")); digits(f.month + 1, 2)
            put(UInt8(ascii: "-")); digits(f.date, 2)
            put(UInt8(ascii: "T")); digits(f.hours, 2)
            put(UInt8(ascii: ":")); digits(f.minutes, 2)
            put(UInt8(ascii: ":")); digits(f.seconds, 2)
            put(UInt8(ascii: ".")); digits(f.ms, 3)
            put(UInt8(ascii: "Z"))
            return n
        }
    }

    /// en-US style: "3/5/2024"
    static func localeDateString(_ t: Double) -> String {
        let f = fields(t)
        return "\(f.month + 1)/\(f.date)/\(Int(f.year))"
    }

    /// en-US style: "2:03:00 PM"
    static func localeTimeString(_ t: Double) -> String {
        let f = fields(t)
        let h12 = f.hours % 12 == 0 ? 12 : f.hours % 12
        return "\(h12):\(pad(f.minutes, 2)):\(pad(f.seconds, 2)) \(f.hours < 12 ? "AM" : "PM")"
    }

    // MARK: Parsing

    /// Date.parse: the ISO format (all reduced forms), then the toString/toUTCString formats and
    /// common informal forms. Returns NaN when the text is not recognised.
    static func parse(_ units: ContiguousArray<UInt16>) -> Double {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(units.count)
        for u in units {
            if u >= 128 { return .nan }
            bytes.append(UInt8(u))
        }
        // Trim whitespace.
        while let l = bytes.last, l == 32 || l == 9 || l == 10 || l == 13 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        if let v = parseISO(bytes) { return v }
        return parseInformal(bytes)
    }

    /// The Date Time String Format (§21.4.1.32). nil when the text is not in that format.
    static func parseISO(_ s: [UInt8]) -> Double? {
        var i = 0
        let n = s.count
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = s[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += count
            return v
        }
        var year: Int
        if i < n && (s[i] == 43 || s[i] == 45) {
            let negative = s[i] == 45
            i += 1
            guard let y = digits(6) else { return nil }
            if negative && y == 0 { return .nan }  // -000000 is not allowed
            year = negative ? -y : y
        } else {
            guard let y = digits(4) else { return nil }
            year = y
        }
        var month = 1, dayOfMonth = 1
        var hour = 0, minute = 0, second = 0, ms = 0.0
        var offsetMinutes = 0
        var hasTime = false
        var hasOffset = false
        if i < n && s[i] == 45 {
            i += 1
            guard let m = digits(2) else { return nil }
            month = m
            if i < n && s[i] == 45 {
                i += 1
                guard let d = digits(2) else { return nil }
                dayOfMonth = d
            }
        }
        if i < n && (s[i] == 84 || s[i] == 116 || s[i] == 32) {  // T, t (or a space, like V8)
            i += 1
            hasTime = true
            guard let h = digits(2) else { return nil }
            guard i < n && s[i] == 58 else { return nil }
            i += 1
            guard let mi = digits(2) else { return nil }
            hour = h
            minute = mi
            if i < n && s[i] == 58 {
                i += 1
                guard let se = digits(2) else { return nil }
                second = se
                if i < n && s[i] == 46 {
                    i += 1
                    var scale = 100.0
                    var count = 0
                    while i < n, s[i] >= 48 && s[i] <= 57 {
                        if count < 3 { ms += Double(s[i] - 48) * scale; scale /= 10 }
                        count += 1
                        i += 1
                    }
                    if count == 0 { return nil }
                }
            }
            if i < n && (s[i] == 90 || s[i] == 122) {
                i += 1
                hasOffset = true
            } else if i < n && (s[i] == 43 || s[i] == 45) {
                let sign = s[i] == 45 ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                var om = 0
                if i < n && s[i] == 58 { i += 1 }
                if let m = digits(2) { om = m }
                guard oh <= 23 && om <= 59 else { return .nan }
                offsetMinutes = sign * (oh * 60 + om)
                hasOffset = true
            }
        } else if i < n && (s[i] == 90 || s[i] == 122) {
            i += 1
        }
        guard i == n else { return nil }
        _ = hasTime
        _ = hasOffset
        // Validate fields.
        if month < 1 || month > 12 { return .nan }
        if dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month) { return .nan }
        if hour > 24 || minute > 59 || second > 59 { return .nan }
        if hour == 24 && (minute != 0 || second != 0 || ms != 0) { return .nan }
        let dayNum = daysFromCivil(Double(year), month, Double(dayOfMonth))
        let t = makeDate(dayNum, Double(hour) * msPerHour + Double(minute) * msPerMinute
                         + Double(second) * msPerSecond + ms)
        // Date-only forms are UTC; date-time forms without an offset are local time (= UTC here).
        return timeClip(t - Double(offsetMinutes) * msPerMinute)
    }

    static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The toString/toUTCString formats and informal variants ("Mar 5 2024 10:00", "2024/03/05", …).
    static func parseInformal(_ s: [UInt8]) -> Double {
        enum Token { case number(Int, Int), word(String), sign(Int), colon, dot, slash, comma }
        var tokens: [Token] = []
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c >= 48 && c <= 57 {
                var v = 0
                let st = i
                while i < n, s[i] >= 48 && s[i] <= 57 {
                    if v < 100_000_000 { v = v * 10 + Int(s[i] - 48) }
                    i += 1
                }
                tokens.append(.number(v, i - st))
            } else if (c | 32) >= 97 && (c | 32) <= 122 {
                var w = ""
                while i < n, (s[i] | 32) >= 97 && (s[i] | 32) <= 122 {
                    w.append(Character(UnicodeScalar(s[i] | 32)))
                    i += 1
                }
                if w == "t" && i < n && s[i] >= 48 && s[i] <= 57 { continue }  // ISO-like separator
                tokens.append(.word(w))
            } else if c == 40 {
                // Parenthesized comment.
                var depth = 0
                while i < n {
                    if s[i] == 40 { depth += 1 }
                    if s[i] == 41 { depth -= 1; if depth == 0 { i += 1; break } }
                    i += 1
                }
            } else {
                switch c {
                case 43: tokens.append(.sign(1))
                case 45: tokens.append(.sign(-1))
                case 58: tokens.append(.colon)
                case 46: tokens.append(.dot)
                case 47: tokens.append(.slash)
                case 44: tokens.append(.comma)
                case 32, 9, 10, 13: break
                default: return .nan
                }
                i += 1
            }
        }
        var year: Int?
        var month: Int?
        var dayOfMonth: Int?
        var hour: Int?
        var minute = 0, second = 0, ms = 0
        var offset: Int?  // minutes east of UTC
        var pm: Bool?
        var numbers: [(Int, Int)] = []
        var yearNegative = false
        var k = 0
        while k < tokens.count {
            switch tokens[k] {
            case .word(let w):
                if let m = monthNames.firstIndex(where: { w.hasPrefix($0.lowercased()) }), w.count >= 3 {
                    if month != nil { return .nan }
                    month = m + 1
                } else if w == "am" || w == "pm" {
                    pm = w == "pm"
                } else if w == "gmt" || w == "utc" || w == "ut" || w == "z" {
                    offset = offset ?? 0
                } else if dayNames.contains(where: { w.hasPrefix($0.lowercased()) }) {
                    // weekday: ignored
                } else if w == "t" {
                    // separator
                } else {
                    return .nan
                }
                k += 1
            case .number(let v, let vlen):
                // A time: h:mm[:ss[.mmm]]
                if k + 2 < tokens.count, case .colon = tokens[k + 1], case .number(let mi, _) = tokens[k + 2] {
                    if hour != nil { return .nan }
                    hour = v
                    minute = mi
                    k += 3
                    if k + 1 < tokens.count, case .colon = tokens[k], case .number(let se, _) = tokens[k + 1] {
                        second = se
                        k += 2
                        if k + 1 < tokens.count, case .dot = tokens[k], case .number(let f, let len) = tokens[k + 1] {
                            var frac = f
                            var l = len
                            while l > 3 { frac /= 10; l -= 1 }
                            while l < 3 { frac *= 10; l += 1 }
                            ms = frac
                            k += 2
                        }
                    }
                    continue
                }
                // A date with slashes or dashes: m/d/y or y/m/d.
                if k + 4 < tokens.count, case .slash = tokens[k + 1], case .number(let b, _) = tokens[k + 2],
                   case .slash = tokens[k + 3], case .number(let c, let clen) = tokens[k + 4] {
                    if case .number(_, let alen) = tokens[k], alen >= 3 {
                        year = v; month = b; dayOfMonth = c
                    } else {
                        month = v; dayOfMonth = b; year = clen <= 2 && c < 50 ? 2000 + c : (clen <= 2 ? 1900 + c : c)
                    }
                    k += 5
                    continue
                }
                // A date with dashes: y-m-d or m-d-y.
                if k + 4 < tokens.count, case .sign(-1) = tokens[k + 1], case .number(let b, _) = tokens[k + 2],
                   case .sign(-1) = tokens[k + 3], case .number(let c, let clen) = tokens[k + 4] {
                    if vlen >= 3 {
                        year = v; month = b; dayOfMonth = c
                    } else {
                        month = v; dayOfMonth = b; year = clen <= 2 ? (c < 50 ? 2000 + c : 1900 + c) : c
                    }
                    k += 5
                    continue
                }
                if k + 2 < tokens.count, case .slash = tokens[k + 1], case .number(let b, _) = tokens[k + 2] {
                    month = v; dayOfMonth = b
                    k += 3
                    continue
                }
                numbers.append((v, vlen))
                k += 1
            case .sign(let sg):
                // Time zone offset after a time or GMT: +hhmm or +hh:mm; otherwise a negative year.
                if k + 1 < tokens.count, case .number(let v, let len) = tokens[k + 1], hour != nil || offset != nil {
                    var mins: Int
                    if len <= 2 {
                        mins = v * 60
                        if k + 3 < tokens.count, case .colon = tokens[k + 2], case .number(let m2, _) = tokens[k + 3] {
                            mins += m2
                            k += 2
                        }
                    } else {
                        mins = (v / 100) * 60 + v % 100
                    }
                    offset = sg * mins
                    k += 2
                    continue
                }
                if sg < 0, k + 1 < tokens.count, case .number = tokens[k + 1] {
                    yearNegative = true
                    k += 1
                    continue
                }
                k += 1
            case .comma, .dot, .colon, .slash:
                k += 1
            }
        }
        // Remaining bare numbers: day and year (in either order; 3+ digits is always a year).
        for (v, len) in numbers {
            if len < 3 && dayOfMonth == nil && v >= 1 && v <= 31 {
                dayOfMonth = v
            } else if year == nil {
                year = len <= 2 ? (v < 50 ? 2000 + v : 1900 + v) : v
            } else {
                return .nan
            }
        }
        guard var y = year, let mo = month else { return .nan }
        if yearNegative { y = -y }
        let d = dayOfMonth ?? 1
        var h = hour ?? 0
        if let pm {
            if h > 12 { return .nan }
            if pm && h < 12 { h += 12 }
            if !pm && h == 12 { h = 0 }
        }
        if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || minute > 59 || second > 59 { return .nan }
        let dayNum = makeDay(Double(y), Double(mo - 1), Double(d))
        let t = makeDate(dayNum, makeTime(Double(h), Double(minute), Double(second), Double(ms)))
        return timeClip(t - Double(offset ?? 0) * msPerMinute)
    }
}
