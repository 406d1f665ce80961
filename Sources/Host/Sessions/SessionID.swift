/// Session ids: 32 bytes from the system's cryptographic random source, base64url without padding
/// (43 characters), so they cannot be guessed or enumerated.
public enum SessionID {
    public static let length = 43

    /// A new random id.
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()  // getrandom(2) on Linux, arc4random on Darwin
        var bytes: [UInt8] = []
        bytes.reserveCapacity(33)
        for _ in 0..<4 {
            let word = rng.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return base64url(bytes)
    }

    /// Could `s` be an id this type made? (Checked before any lookup, so junk cookies cost nothing.)
    public static func isWellFormed(_ s: String) -> Bool {
        s.utf8.count == length && s.utf8.allSatisfy(isAlphabetByte)
    }

    /// A byte of the base64url alphabet (a range test: this runs on every request with a cookie).
    private static func isAlphabetByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): return true
        default: return false
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static func base64url(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            for shift in [18, 12, 6] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
