using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ChargerFirmware.Tests.Portability;

/// <summary>A string literal (ldstr) found in a method: on nanoCLR every execution of it allocates a new string.</summary>
public sealed record Literal(string Method, string Text, IReadOnlyList<string> Path)
{
    public override string ToString() => $"\"{Text}\" in {Method}, reached by {string.Join(" -> ", Path)}";
}

/// <summary>
/// The call graph of the portable assemblies, read from their IL: which methods a root can reach, and the
/// string literals those methods load. A call through an interface or a virtual method reaches every
/// portable implementation (what the device may run there); calls into mscorlib end the walk. Walks stop
/// at the methods named as boundaries (work that does not happen every tick, such as redrawing a screen).
/// A literal that only becomes an exception's message (ldstr, then the exception's constructor before any
/// other call) is left out: it allocates when the firmware is already failing.
/// </summary>
public sealed class TickPath
{
    private readonly Dictionary<string, Method> _methods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _subtypes = new(StringComparer.Ordinal);

    private TickPath()
    {
    }

    /// <summary>Reads the assemblies at <paramref name="paths"/>.</summary>
    public static TickPath Load(IEnumerable<string> paths)
    {
        var graph = new TickPath();
        foreach (string path in paths)
        {
            graph.Read(File.ReadAllBytes(path));
        }

        return graph;
    }

    /// <summary>Reads one assembly image (tests use snippets).</summary>
    public static TickPath Load(byte[] image)
    {
        var graph = new TickPath();
        graph.Read(image);
        return graph;
    }

    /// <summary>True when a method with this name ("Ns.Type.Method(int, string)") is defined.</summary>
    public bool Defines(string method) => _methods.ContainsKey(method);

    /// <summary>Every literal loaded by a method reachable from <paramref name="roots"/>, not walking past <paramref name="boundaries"/>.</summary>
    public IReadOnlyList<Literal> LiteralsReachableFrom(IEnumerable<string> roots, ISet<string> boundaries)
    {
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (string root in roots)
        {
            if (!_methods.ContainsKey(root))
            {
                throw new ArgumentException("no such method in the assemblies: " + root, nameof(roots));
            }

            cameFrom[root] = null;
            queue.Enqueue(root);
        }

        var literals = new List<Literal>();
        while (queue.Count > 0)
        {
            string name = queue.Dequeue();
            Method method = _methods[name];
            foreach (string text in method.Literals)
            {
                literals.Add(new Literal(name, text, PathTo(name, cameFrom)));
            }

            foreach (string callee in method.Callees.SelectMany(Implementations))
            {
                if (!cameFrom.ContainsKey(callee) && !boundaries.Contains(callee))
                {
                    cameFrom[callee] = name;
                    queue.Enqueue(callee);
                }
            }
        }

        return literals;
    }

    private static List<string> PathTo(string method, Dictionary<string, string?> cameFrom)
    {
        var path = new List<string>();
        for (string? at = method; at != null; at = cameFrom[at])
        {
            path.Add(at);
        }

        path.Reverse();
        return path;
    }

    // The method itself when defined here, and every override or implementation in a subtype.
    private IEnumerable<string> Implementations(string callee)
    {
        if (_methods.ContainsKey(callee))
        {
            yield return callee;
        }

        int dot = callee.LastIndexOf('.', callee.IndexOf('(', StringComparison.Ordinal));
        string type = callee[..dot];
        string member = callee[(dot + 1)..];
        foreach (string subtype in Subtypes(type))
        {
            if (_methods.ContainsKey(subtype + "." + member))
            {
                yield return subtype + "." + member;
            }

            // An explicit implementation is named after the interface: "Ns.Type.Ns.IFace.Method(...)".
            string explicitName = subtype + "." + type + "." + member;
            if (_methods.ContainsKey(explicitName))
            {
                yield return explicitName;
            }
        }
    }

    private IEnumerable<string> Subtypes(string type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            if (_subtypes.TryGetValue(pending.Pop(), out List<string>? direct))
            {
                foreach (string subtype in direct.Where(seen.Add))
                {
                    yield return subtype;
                    pending.Push(subtype);
                }
            }
        }
    }

    private void Read(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        MetadataReader reader = pe.GetMetadataReader();
        var decoder = new SignatureDecoder(reader);
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            string typeName = TypeNames.Of(reader, typeHandle);
            if (!type.BaseType.IsNil)
            {
                AddSubtype(TypeNames.Of(reader, type.BaseType, decoder, GenericScope.None), typeName);
            }

            foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
            {
                AddSubtype(TypeNames.Of(reader, reader.GetInterfaceImplementation(implementation).Interface, decoder, GenericScope.None), typeName);
            }

            foreach (MethodDefinitionHandle handle in type.GetMethods())
            {
                MethodDefinition definition = reader.GetMethodDefinition(handle);
                var method = new Method();
                _methods[typeName + "." + reader.GetString(definition.Name) + Parameters(definition.DecodeSignature(decoder, GenericScope.None))] = method;
                if (definition.RelativeVirtualAddress != 0)
                {
                    ReadBody(pe.GetMethodBody(definition.RelativeVirtualAddress), reader, decoder, method);
                }
            }
        }
    }

    private static void ReadBody(MethodBodyBlock body, MetadataReader reader, SignatureDecoder decoder, Method method)
    {
        List<IlInstruction> instructions = IlInstructions.Read(body);
        for (int at = 0; at < instructions.Count; at++)
        {
            IlInstruction instruction = instructions[at];
            switch (instruction.OpCode)
            {
                case ILOpCode.Ldstr:
                    if (!BuildsException(reader, decoder, instructions, at))
                    {
                        method.Literals.Add(reader.GetUserString(MetadataTokens.UserStringHandle(instruction.Token & 0xFFFFFF)));
                    }

                    break;
                case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
                    string? callee = Name(reader, decoder, MetadataTokens.EntityHandle(instruction.Token));
                    if (callee != null)
                    {
                        method.Callees.Add(callee);
                    }

                    break;
            }
        }
    }

    // True when the next call after the literal constructs an exception (its message, most likely).
    private static bool BuildsException(MetadataReader reader, SignatureDecoder decoder, List<IlInstruction> instructions, int literal)
    {
        for (int at = literal + 1; at < instructions.Count; at++)
        {
            ILOpCode opCode = instructions[at].OpCode;
            if (opCode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj)
            {
                string? callee = Name(reader, decoder, MetadataTokens.EntityHandle(instructions[at].Token));
                return opCode == ILOpCode.Newobj && callee != null && callee[..callee.IndexOf(".ctor(", StringComparison.Ordinal)].EndsWith("Exception.", StringComparison.Ordinal);
            }
        }

        return false;
    }

    private static string? Name(MetadataReader reader, SignatureDecoder decoder, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                MethodDefinition definition = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return TypeNames.Of(reader, definition.GetDeclaringType()) + "." + reader.GetString(definition.Name)
                    + Parameters(definition.DecodeSignature(decoder, GenericScope.None));
            case HandleKind.MemberReference:
                MemberReference reference = reader.GetMemberReference((MemberReferenceHandle)handle);
                if (reference.GetKind() != MemberReferenceKind.Method)
                {
                    return null;
                }

                return TypeNames.Of(reader, reference.Parent, decoder, GenericScope.None) + "." + reader.GetString(reference.Name)
                    + Parameters(reference.DecodeMethodSignature(decoder, GenericScope.None));
            case HandleKind.MethodSpecification:
                return Name(reader, decoder, reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return null;
        }
    }

    private static string Parameters(MethodSignature<DecodedType> signature) =>
        "(" + string.Join(", ", signature.ParameterTypes.Select(p => p.Name)) + ")";

    private void AddSubtype(string baseType, string subtype)
    {
        if (!_subtypes.TryGetValue(baseType, out List<string>? list))
        {
            _subtypes[baseType] = list = [];
        }

        list.Add(subtype);
    }

    private sealed class Method
    {
        public List<string> Literals { get; } = [];

        public List<string> Callees { get; } = [];
    }
}
