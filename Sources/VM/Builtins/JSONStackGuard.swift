// A native stack guard for the recursive JSON serializer: deep structures end with a RangeError
// instead of overflowing the thread's stack, whatever its size.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc) || canImport(Musl)
/// A GNU extension the Glibc module does not export.
@_silgen_name("pthread_getattr_np")
private func jsonGuard_pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

enum JSONStackGuard {
    /// Per-thread cache of the lowest safe stack address.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The lowest stack address recursion may reach on this thread (with a safety margin).
    static func limit() -> UInt {
        if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
        let l = computeLimit()
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: l))
        return l
    }

    static func computeLimit() -> UInt {
        let here = currentAddress()
        #if canImport(Glibc) || canImport(Musl)
        var attr = pthread_attr_t()
        if jsonGuard_pthread_getattr_np(pthread_self(), &attr) == 0 {
            defer { pthread_attr_destroy(&attr) }
            var addr: UnsafeMutableRawPointer? = nil
            var size = 0
            if pthread_attr_getstack(&attr, &addr, &size) == 0, let addr {
                let low = UInt(bitPattern: addr)
                if here > low && here - low < UInt(size) + 65536 {
                    let margin = UInt(min(max(size / 4, 64 * 1024), 256 * 1024))
                    return low + margin
                }
            }
        }
        #elseif canImport(Darwin)
        let thread = pthread_self()
        let high = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = UInt(pthread_get_stacksize_np(thread))
        if high > size && here <= high && here > high - size {
            let margin = min(max(size / 4, 64 * 1024), 256 * 1024)
            return high - size + margin
        }
        #endif
        return here > 256 * 1024 ? here - 256 * 1024 : 1
    }

    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
