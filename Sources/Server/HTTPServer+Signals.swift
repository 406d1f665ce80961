import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPServer {
    /// Blocks the calling thread until the process receives one of `signals`, then shuts the
    /// server down gracefully (see ``shutdown()``) and returns the signal received.
    ///
    /// Meant for the command line: `sluice serve` calls it on the main thread after ``start()``.
    /// A second signal while shutdown is still waiting for requests ends the process at once
    /// with status 128 + signal, the usual escape when a graceful stop takes too long.
    @discardableResult
    public func runUntilSignalled(_ signals: [Int32] = [SIGINT, SIGTERM]) -> Int32 {
        let first = SignalLatch()
        let queue = DispatchQueue(label: "sluice.server.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            // Dispatch sources see a signal only once its default action (terminate) is off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if !first.record(number) {
                    _exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
        let received = first.wait()
        self.shutdown()
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        return received
    }
}

/// Remembers the first signal and wakes the thread waiting for it.
private final class SignalLatch: Sendable {
    private let received = Mutex<Int32?>(nil)
    private let arrived = DispatchSemaphore(value: 0)

    /// Records a signal; returns false if one had already arrived.
    func record(_ number: Int32) -> Bool {
        let isFirst = self.received.withLock { received -> Bool in
            guard received == nil else { return false }
            received = number
            return true
        }
        if isFirst { self.arrived.signal() }
        return isFirst
    }

    func wait() -> Int32 {
        self.arrived.wait()
        return self.received.withLock { $0 ?? 0 }
    }
}
