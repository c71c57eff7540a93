import Atomics

/// Holds the current immutable snapshot (zones, health, a whole responder); the hot path reads it
/// once per query with one lock-free atomic load, and reload replaces it atomically.
public final class SnapshotBox<Value: Sendable>: Sendable {
    /// One published snapshot and its generation number.
    @usableFromInline
    final class Slot: AtomicReference, Sendable {
        @usableFromInline let value: Value
        @usableFromInline let generation: UInt64

        init(_ value: Value, generation: UInt64) {
            self.value = value
            self.generation = generation
        }
    }

    @usableFromInline let current: ManagedAtomic<Slot>

    /// A box publishing `initial` as generation 0.
    public init(_ initial: Value) {
        current = ManagedAtomic(Slot(initial, generation: 0))
    }

    /// The current snapshot: read it once per query and use that value for the whole query.
    @inlinable
    public func load() -> Value {
        current.load(ordering: .acquiring).value
    }

    /// The current snapshot and its generation, read together.
    @inlinable
    public func loadWithGeneration() -> (value: Value, generation: UInt64) {
        let slot = current.load(ordering: .acquiring)
        return (slot.value, slot.generation)
    }

    /// The generation of the current snapshot: 0 at start, one more per `replace`.
    public var generation: UInt64 { current.load(ordering: .acquiring).generation }

    /// Publishes `value`; queries that already loaded the old snapshot finish with it.
    /// Returns the new generation.
    @discardableResult
    public func replace(with value: Value) -> UInt64 {
        var old = current.load(ordering: .relaxed)
        while true {
            let next = Slot(value, generation: old.generation &+ 1)
            let (exchanged, original) = current.compareExchange(expected: old, desired: next,
                                                                ordering: .acquiringAndReleasing)
            if exchanged { return next.generation }
            old = original
        }
    }
}
