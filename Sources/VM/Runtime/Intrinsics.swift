import Synchronization

/// The builtin objects every runtime has, reachable from Swift without a property lookup.
/// Builtin installers fill these in during `Runtime.init`.
public final class Intrinsics {
    public var objectPrototype: JSObject!
    public var functionPrototype: JSFunction!
    public var arrayPrototype: JSObject!
    public var stringPrototype: JSObject!
    public var numberPrototype: JSObject!
    public var booleanPrototype: JSObject!
    public var symbolPrototype: JSObject!
    public var errorPrototype: JSObject!
    public var datePrototype: JSObject!
    public var regExpPrototype: JSObject!
    public var mapPrototype: JSObject!
    public var setPrototype: JSObject!
    /// `%IteratorPrototype%` and the builtin iterator prototypes.
    public var iteratorPrototype: JSObject!
    public var arrayIteratorPrototype: JSObject!
    public var stringIteratorPrototype: JSObject!
    public var mapIteratorPrototype: JSObject!
    public var setIteratorPrototype: JSObject!

    public var objectConstructor: JSFunction!
    public var functionConstructor: JSFunction!
    public var arrayConstructor: JSFunction!
    public var stringConstructor: JSFunction!
    public var numberConstructor: JSFunction!
    public var booleanConstructor: JSFunction!
    public var symbolConstructor: JSFunction!
    public var regExpConstructor: JSFunction!
    public var dateConstructor: JSFunction!
    public var mapConstructor: JSFunction!
    public var setConstructor: JSFunction!
    public var promiseLikeNone: JSObject?

    /// Error prototypes and constructors by kind.
    public var errorPrototypes: [ErrorKind: JSObject] = [:]
    public var errorConstructors: [ErrorKind: JSFunction] = [:]

    /// `Array.prototype.values` (also `Array.prototype[Symbol.iterator]`), used by fast paths.
    public var arrayValuesFunction: JSFunction?
    /// `%ThrowTypeError%`
    public var throwTypeError: JSFunction!

    /// One-character ASCII strings (atoms), built on first use.
    var asciiStrings: [JSString]?

    /// Any other objects installers want to keep (by name).
    public var extra: [String: JSObject] = [:]

    /// Objects kept in `IntrinsicSlot`s: like `extra`, but found by index instead of by hashing
    /// a name, for places read on every call or request.
    private var slotted: [JSObject?] = []

    /// The object kept in `slot`, if any.
    public subscript(slot: IntrinsicSlot) -> JSObject? {
        get { slot.index < slotted.count ? slotted[slot.index] : nil }
        set {
            if slot.index >= slotted.count {
                guard newValue != nil else { return }
                slotted.append(contentsOf: repeatElement(nil, count: slot.index + 1 - slotted.count))
            }
            slotted[slot.index] = newValue
        }
    }

    /// Every object held here (the named fields, then the tables), for the collector and for
    /// `Runtime.recordPristineState`.
    var allObjects: [JSObject] {
        let fixed: [JSObject?] = [objectPrototype, functionPrototype, arrayPrototype, stringPrototype, numberPrototype,
                                booleanPrototype, symbolPrototype, errorPrototype, datePrototype, regExpPrototype,
                                mapPrototype, setPrototype, iteratorPrototype, arrayIteratorPrototype,
                                stringIteratorPrototype, mapIteratorPrototype, setIteratorPrototype,
                                objectConstructor, functionConstructor, arrayConstructor, stringConstructor,
                                numberConstructor, booleanConstructor, symbolConstructor, regExpConstructor,
                                dateConstructor, mapConstructor, setConstructor, arrayValuesFunction, throwTypeError,
                                promiseLikeNone]
        return fixed.compactMap { $0 } + Array(errorPrototypes.values) + Array(errorConstructors.values) + Array(extra.values)
            + slotted.compactMap { $0 }
    }

    func markAll(_ m: inout GCMarker) {
        for o in allObjects { m.mark(o) }
    }
}

/// A place in every runtime's `Intrinsics` for one kind of object an installer keeps (made once,
/// as a static constant, and used as `rt.intrinsics[slot]`).
public struct IntrinsicSlot: Sendable {
    let index: Int

    public init() {
        index = IntrinsicSlot.next.add(1, ordering: .relaxed).oldValue
    }

    private static let next = Atomic<Int>(0)
}

extension IntrinsicSlot {
    static let arrayIteratorNext = IntrinsicSlot()
    static let functionHasInstance = IntrinsicSlot()
    static let mapPrototypeSet = IntrinsicSlot()
    static let setPrototypeAdd = IntrinsicSlot()
    static let builtinsAState = IntrinsicSlot()
    static let jsonCache = IntrinsicSlot()
}

/// The native error types.
public enum ErrorKind: String, CaseIterable, Sendable {
    case error = "Error"
    case typeError = "TypeError"
    case rangeError = "RangeError"
    case syntaxError = "SyntaxError"
    case referenceError = "ReferenceError"
    case evalError = "EvalError"
    case uriError = "URIError"
    case aggregateError = "AggregateError"
}

/// Property keys used by the runtime itself, interned once.
public final class CommonNames {
    public let length, prototype, constructor, name, message, stack, cause, toString, valueOf, value, writable,
        get, set, enumerable, configurable, next, done, lastIndex, index, input, groups, callee, caller,
        arguments, join, toJSON, errors, source, flags, global, raw, undefined, null, `true`, `false`: PropertyKey
    /// The results of `typeof` ("number", "string", …), so the operator allocates nothing.
    let typeNumber, typeString, typeBoolean, typeUndefined, typeObject, typeSymbol, typeFunction: JSString
    let atoms: [JSString]

    init(_ rt: Runtime) {
        var list: [JSString] = []
        func k(_ s: String) -> PropertyKey {
            let a = rt.intern(s)
            list.append(a)
            return PropertyKey(atom: a)
        }
        length = k("length"); prototype = k("prototype"); constructor = k("constructor"); name = k("name")
        message = k("message"); stack = k("stack"); cause = k("cause"); toString = k("toString")
        valueOf = k("valueOf"); value = k("value"); writable = k("writable"); get = k("get"); set = k("set")
        enumerable = k("enumerable"); configurable = k("configurable"); next = k("next"); done = k("done")
        lastIndex = k("lastIndex"); index = k("index"); input = k("input"); groups = k("groups")
        callee = k("callee"); caller = k("caller"); arguments = k("arguments"); join = k("join")
        toJSON = k("toJSON"); errors = k("errors"); source = k("source"); flags = k("flags"); global = k("global")
        raw = k("raw"); undefined = k("undefined"); null = k("null"); `true` = k("true"); `false` = k("false")
        typeNumber = rt.intern("number"); typeString = rt.intern("string"); typeBoolean = rt.intern("boolean")
        typeUndefined = rt.intern("undefined"); typeObject = rt.intern("object"); typeSymbol = rt.intern("symbol")
        typeFunction = rt.intern("function")
        list += [typeNumber, typeString, typeBoolean, typeUndefined, typeObject, typeSymbol, typeFunction]
        atoms = list
    }

    func markAll(_ m: inout GCMarker) { for a in atoms { m.mark(a) } }
}

/// `Symbol.iterator` and friends.
public final class WellKnownSymbols {
    public let iterator: JSSymbol
    public let hasInstance: JSSymbol
    public let toPrimitive: JSSymbol
    public let toStringTag: JSSymbol
    public let isConcatSpreadable: JSSymbol
    public let species: JSSymbol
    public let unscopables: JSSymbol
    public let asyncIterator: JSSymbol
    public let match: JSSymbol
    public let matchAll: JSSymbol
    public let replace: JSSymbol
    public let search: JSSymbol
    public let split: JSSymbol

    init(_ rt: Runtime) {
        func make(_ d: String) -> JSSymbol {
            let s = JSSymbol(description: rt.intern("Symbol." + d))
            s.chargedBytes = Heap.cellHeaderBytes
            rt.heap.append(s)
            return s
        }
        iterator = make("iterator"); hasInstance = make("hasInstance"); toPrimitive = make("toPrimitive")
        toStringTag = make("toStringTag"); isConcatSpreadable = make("isConcatSpreadable"); species = make("species")
        unscopables = make("unscopables"); asyncIterator = make("asyncIterator"); match = make("match")
        matchAll = make("matchAll"); replace = make("replace"); search = make("search"); split = make("split")
    }

    var all: [JSSymbol] {
        [iterator, hasInstance, toPrimitive, toStringTag, isConcatSpreadable, species, unscopables, asyncIterator,
         match, matchAll, replace, search, split]
    }

    func markAll(_ m: inout GCMarker) { for s in all { m.mark(s) } }
}
