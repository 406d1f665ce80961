import Dispatch
import NIOCore
import Synchronization

/// The server's open connections: enforces the connection limit and lets shutdown ask every
/// connection to finish its current request and close.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    private let state = Mutex(State())
    /// Signalled once, when the last connection closes after draining began.
    private let emptied = DispatchSemaphore(value: 0)
    private let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Records a newly accepted connection. Returns false (and records nothing) when the server
    /// is full or shutting down; the caller then closes the connection.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = self.state.withLock { state -> Bool in
            guard !state.draining, state.channels.count < self.maxConnections else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.remove(channel) }
        }
        return admitted
    }

    /// Number of open connections.
    var count: Int { self.state.withLock { $0.channels.count } }

    private func remove(_ channel: any Channel) {
        let lastAfterDrain = self.state.withLock { state -> Bool in
            guard state.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return false }
            return state.draining && state.channels.isEmpty
        }
        if lastAfterDrain { self.emptied.signal() }
    }

    /// Stops admitting connections and asks each open one to close once its current request is
    /// answered (idle ones close at once). Returns true if all closed within `timeout`.
    func drain(timeout: TimeAmount) -> Bool {
        let open = self.state.withLock { state -> [any Channel] in
            state.draining = true
            return Array(state.channels.values)
        }
        if open.isEmpty { return true }
        for channel in open {
            // HTTPConnectionHandler reacts to this: it closes an idle connection, or marks the
            // in-flight response `Connection: close` and closes after it.
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        return self.waitUntilEmpty(timeout: timeout)
    }

    /// Closes every open connection, whatever it is doing. Returns true if all closed within
    /// `timeout`. Call after ``drain(timeout:)``.
    func closeAll(timeout: TimeAmount) -> Bool {
        let open = self.state.withLock { Array($0.channels.values) }
        if open.isEmpty { return true }
        for channel in open { channel.close(promise: nil) }
        return self.waitUntilEmpty(timeout: timeout)
    }

    private func waitUntilEmpty(timeout: TimeAmount) -> Bool {
        if self.state.withLock({ $0.channels.isEmpty }) { return true }
        let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.nanoseconds))
        guard self.emptied.wait(timeout: deadline) == .success else { return false }
        // Leave the signal for a later waiter (closeAll after a timed-out drain).
        self.emptied.signal()
        return true
    }
}
