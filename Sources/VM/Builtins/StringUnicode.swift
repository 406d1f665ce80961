// Unicode helpers for the String builtins: code points, case mapping, normalization, comparison.
// All work on UTF-16 code units; lone surrogates pass through unchanged.

@_spi(_Unicode) import Swift

/// CodePointAt: the code point starting at `i` and its length in code units (lone surrogates are
/// returned as themselves).
@inline(__always)
func codePoint(at i: Int, in u: ContiguousArray<UInt16>) -> (UInt32, Int) {
    let c = u[i]
    if c & 0xFC00 == 0xD800, i + 1 < u.count {
        let d = u[i + 1]
        if d & 0xFC00 == 0xDC00 {
            return (0x10000 + ((UInt32(c) - 0xD800) << 10) + (UInt32(d) - 0xDC00), 2)
        }
    }
    return (UInt32(c), 1)
}

/// The code point ending just before `i` (for backwards scans) and its length.
@inline(__always)
func codePoint(before i: Int, in u: ContiguousArray<UInt16>) -> (UInt32, Int) {
    let c = u[i - 1]
    if c & 0xFC00 == 0xDC00, i >= 2 {
        let h = u[i - 2]
        if h & 0xFC00 == 0xD800 {
            return (0x10000 + ((UInt32(h) - 0xD800) << 10) + (UInt32(c) - 0xDC00), 2)
        }
    }
    return (UInt32(c), 1)
}

@inline(__always)
func appendCodePoint(_ cp: UInt32, to out: inout ContiguousArray<UInt16>) {
    if cp < 0x10000 {
        out.append(UInt16(cp))
    } else {
        let v = cp - 0x10000
        out.append(UInt16(0xD800 + (v >> 10)))
        out.append(UInt16(0xDC00 + (v & 0x3FF)))
    }
}

/// Index of the first unpaired surrogate, or nil for a well-formed string.
func firstLoneSurrogate(_ u: ContiguousArray<UInt16>) -> Int? {
    var i = 0
    let n = u.count
    while i < n {
        let c = u[i]
        if c & 0xF800 == 0xD800 {
            if c & 0xFC00 == 0xD800, i + 1 < n, u[i + 1] & 0xFC00 == 0xDC00 {
                i += 2
                continue
            }
            return i
        }
        i += 1
    }
    return nil
}

// MARK: - Case mapping

private func isCased(_ cp: UInt32) -> Bool {
    guard let s = Unicode.Scalar(cp) else { return false }
    return s.properties.isCased
}

private func isCaseIgnorable(_ cp: UInt32) -> Bool {
    guard let s = Unicode.Scalar(cp) else { return false }
    return s.properties.isCaseIgnorable
}

/// The Final_Sigma condition for the sigma at `i`.
private func isFinalSigma(_ u: ContiguousArray<UInt16>, _ i: Int) -> Bool {
    // Before: a cased letter, then zero or more case-ignorable characters.
    var j = i
    var casedBefore = false
    while j > 0 {
        let (cp, len) = codePoint(before: j, in: u)
        j -= len
        if isCaseIgnorable(cp) { continue }
        casedBefore = isCased(cp)
        break
    }
    if !casedBefore { return false }
    // After: not (zero or more case-ignorable characters, then a cased letter).
    j = i + 1
    while j < u.count {
        let (cp, len) = codePoint(at: j, in: u)
        j += len
        if isCaseIgnorable(cp) { continue }
        return !isCased(cp)
    }
    return true
}

/// Full Unicode lowercase mapping; nil when the string is unchanged.
func lowercaseUnits(_ u: ContiguousArray<UInt16>) -> ContiguousArray<UInt16>? {
    var firstChange = -1
    for (i, c) in u.enumerated() {
        if c >= 128 { firstChange = i; break }
        if c >= 65 && c <= 90 { firstChange = i; break }
    }
    if firstChange < 0 { return nil }
    if let ascii = asciiCaseMapped(u, from: firstChange, upper: false) { return ascii }
    var out = ContiguousArray<UInt16>()
    out.reserveCapacity(u.count)
    out.append(contentsOf: u[0..<firstChange])
    var i = firstChange
    let n = u.count
    while i < n {
        let c = u[i]
        if c < 128 {
            out.append(c >= 65 && c <= 90 ? c + 32 : c)
            i += 1
            continue
        }
        let (cp, len) = codePoint(at: i, in: u)
        if cp == 0x3A3 {
            out.append(isFinalSigma(u, i) ? 0x3C2 : 0x3C3)
        } else if let s = Unicode.Scalar(cp) {
            let mapped = s.properties.lowercaseMapping
            out.append(contentsOf: mapped.utf16)
        } else {
            out.append(c)  // lone surrogate
        }
        i += len
    }
    return out
}

/// `u` with the ASCII letters from `start` on switched to the other case (`upper`: a-z → A-Z),
/// or nil when a unit from `start` on is not ASCII (the full Unicode mapping is needed then).
/// The callers' scan found the first unit that changes; text is usually ASCII.
private func asciiCaseMapped(_ u: ContiguousArray<UInt16>, from start: Int, upper: Bool) -> ContiguousArray<UInt16>? {
    let from: UInt16 = upper ? 97 : 65
    var out = u
    let allASCII = out.withUnsafeMutableBufferPointer { dst -> Bool in
        for i in start..<dst.count {
            let c = dst[i]
            if c >= 128 { return false }
            if c &- from < 26 { dst[i] = c ^ 0x20 }
        }
        return true
    }
    return allASCII ? out : nil
}

/// Full Unicode uppercase mapping (ß → SS …); nil when the string is unchanged.
func uppercaseUnits(_ u: ContiguousArray<UInt16>) -> ContiguousArray<UInt16>? {
    var firstChange = -1
    for (i, c) in u.enumerated() {
        if c >= 128 { firstChange = i; break }
        if c >= 97 && c <= 122 { firstChange = i; break }
    }
    if firstChange < 0 { return nil }
    if let ascii = asciiCaseMapped(u, from: firstChange, upper: true) { return ascii }
    var out = ContiguousArray<UInt16>()
    out.reserveCapacity(u.count)
    out.append(contentsOf: u[0..<firstChange])
    var i = firstChange
    let n = u.count
    while i < n {
        let c = u[i]
        if c < 128 {
            out.append(c >= 97 && c <= 122 ? c - 32 : c)
            i += 1
            continue
        }
        let (cp, len) = codePoint(at: i, in: u)
        if let s = Unicode.Scalar(cp) {
            out.append(contentsOf: s.properties.uppercaseMapping.utf16)
        } else {
            out.append(c)
        }
        i += len
    }
    return out
}

// MARK: - Normalization

enum NormalizationForm { case nfc, nfd, nfkc, nfkd }

/// Normalizes one run of valid scalars and appends the result.
private func normalizeSegment(_ scalars: String.UnicodeScalarView, _ form: NormalizationForm,
                              _ out: inout ContiguousArray<UInt16>) {
    var text = String(scalars)
    if form == .nfkc || form == .nfkd {
        var expanded = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if let d = compatibilityDecompositions[s.value] {
                for v in d { expanded.append(Unicode.Scalar(v)!) }
            } else {
                expanded.append(s)
            }
        }
        text = String(expanded)
    }
    switch form {
    case .nfd, .nfkd:
        for s in text._nfd { appendCodePoint(s.value, to: &out) }
    case .nfc, .nfkc:
        for s in text._nfc { appendCodePoint(s.value, to: &out) }
    }
}

/// String.prototype.normalize; nil when the input is already normalized (quick checks).
func normalizeUnits(_ u: ContiguousArray<UInt16>, _ form: NormalizationForm) -> ContiguousArray<UInt16>? {
    let limit: UInt16 = form == .nfc ? 0x300 : 0x80
    if !u.contains(where: { $0 >= limit }) { return nil }
    var out = ContiguousArray<UInt16>()
    out.reserveCapacity(u.count + 8)
    var segment = String.UnicodeScalarView()
    var i = 0
    while i < u.count {
        let (cp, len) = codePoint(at: i, in: u)
        if let s = Unicode.Scalar(cp) {
            segment.append(s)
        } else {
            if !segment.isEmpty {
                normalizeSegment(segment, form, &out)
                segment = String.UnicodeScalarView()
            }
            out.append(u[i])
        }
        i += len
    }
    if !segment.isEmpty { normalizeSegment(segment, form, &out) }
    return out == u ? nil : out
}

// MARK: - Comparison

/// Canonical decomposition of a string as code points (lone surrogates kept).
private func decomposedCodePoints(_ u: ContiguousArray<UInt16>) -> [UInt32] {
    if !u.contains(where: { $0 >= 0xC0 }) { return u.map { UInt32($0) } }
    var out: [UInt32] = []
    out.reserveCapacity(u.count)
    let n = normalizeUnits(u, .nfd) ?? u
    var i = 0
    while i < n.count {
        let (cp, len) = codePoint(at: i, in: n)
        out.append(cp)
        i += len
    }
    return out
}

/// A small approximation of the root collation: canonically equivalent strings compare equal,
/// letters compare case- and accent-insensitively first, then by accents, then lowercase before
/// uppercase; everything else by code point.
func localeCompareUnits(_ a: ContiguousArray<UInt16>, _ b: ContiguousArray<UInt16>) -> Int {
    if a == b { return 0 }
    let x = decomposedCodePoints(a), y = decomposedCodePoints(b)
    if x == y { return 0 }
    func isMark(_ cp: UInt32) -> Bool {
        guard cp >= 0x300, let s = Unicode.Scalar(cp) else { return false }
        return s.properties.canonicalCombiningClass != .notReordered
            || s.properties.generalCategory == .nonspacingMark
    }
    func fold(_ cp: UInt32) -> UInt32 {
        if cp < 128 { return cp >= 65 && cp <= 90 ? cp + 32 : cp }
        guard let s = Unicode.Scalar(cp) else { return cp }
        return s.properties.lowercaseMapping.unicodeScalars.first?.value ?? cp
    }
    // Primary: base letters, case-folded, marks ignored.
    let px = x.filter { !isMark($0) }.map(fold), py = y.filter { !isMark($0) }.map(fold)
    if px != py { return px.lexicographicallyPrecedes(py) ? -1 : 1 }
    // Secondary: accents.
    let sx = x.map { isMark($0) ? $0 : fold($0) }, sy = y.map { isMark($0) ? $0 : fold($0) }
    if sx != sy { return sx.lexicographicallyPrecedes(sy) ? -1 : 1 }
    // Tertiary: lowercase before uppercase.
    for (p, q) in zip(x, y) where p != q {
        let pl = fold(p) == p, ql = fold(q) == q
        if pl != ql { return pl ? -1 : 1 }
        return p < q ? -1 : 1
    }
    return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
}
