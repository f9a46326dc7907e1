using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// Reads a compiled portable assembly and reports what compiles against nanoFramework's mscorlib but
/// the nanoFramework 1.x runtime cannot run: generics (definitions and instantiations, wherever they
/// appear), multidimensional arrays, references beyond mscorlib and the portable assemblies, an
/// mscorlib other than 1.17.x, and enums that reach ToString (the device prints their number).
/// </summary>
public static class PortabilityChecker
{
    public const string CoreLibrary = "mscorlib";

    /// <summary>The portable assemblies: each may reference the others and mscorlib, nothing else.</summary>
    public static readonly ImmutableArray<string> PortableAssemblies =
        ["ChargerFirmware.Protocol", "ChargerFirmware.Drivers", "ChargerFirmware.Firmware", "ChargerFirmware.Application"];

    public static readonly ImmutableHashSet<string> AllowedReferences = PortableAssemblies.Add(CoreLibrary).ToImmutableHashSet();

    /// <summary>
    /// Checks the assembly at <paramref name="assemblyPath"/>. <paramref name="referencePaths"/> are the
    /// assemblies it references whose enums should be recognised (its own enums always are).
    /// </summary>
    public static IReadOnlyList<Violation> Check(string assemblyPath, ISet<string> allowedReferences, IEnumerable<string>? referencePaths = null)
    {
        using FileStream image = File.OpenRead(assemblyPath);
        return Check(image, allowedReferences, referencePaths);
    }

    public static IReadOnlyList<Violation> Check(Stream peImage, ISet<string> allowedReferences, IEnumerable<string>? referencePaths = null)
    {
        var enums = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in referencePaths ?? [])
        {
            using var referenced = new PEReader(File.OpenRead(path));
            AddEnums(referenced.GetMetadataReader(), enums);
        }

        using var pe = new PEReader(peImage, PEStreamOptions.LeaveOpen);
        AddEnums(pe.GetMetadataReader(), enums);
        return new Scan(pe, allowedReferences, enums).Run();
    }

    private static void AddEnums(MetadataReader reader, HashSet<string> enums)
    {
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            EntityHandle baseType = reader.GetTypeDefinition(handle).BaseType;
            bool derivesFromEnum = !baseType.IsNil && baseType.Kind switch
            {
                HandleKind.TypeReference => TypeNames.Of(reader, (TypeReferenceHandle)baseType) == "System.Enum",
                HandleKind.TypeDefinition => TypeNames.Of(reader, (TypeDefinitionHandle)baseType) == "System.Enum",
                _ => false,
            };
            if (derivesFromEnum)
            {
                enums.Add(TypeNames.Of(reader, handle));
            }
        }
    }

    /// <summary>One pass over one assembly; collects violations without duplicates.</summary>
    private sealed class Scan
    {
        private readonly PEReader _pe;
        private readonly MetadataReader _reader;
        private readonly SignatureDecoder _decoder;
        private readonly ISet<string> _allowedReferences;
        private readonly HashSet<string> _enums;
        private readonly string _assembly;
        private readonly List<Violation> _violations = [];
        private readonly HashSet<Violation> _reported = [];
        // Entries reached from a definition; the rest are checked at the end, located only as "metadata".
        private readonly HashSet<EntityHandle> _visited = [];

        public Scan(PEReader pe, ISet<string> allowedReferences, HashSet<string> enums)
        {
            _pe = pe;
            _reader = pe.GetMetadataReader();
            _decoder = new SignatureDecoder(_reader);
            _allowedReferences = allowedReferences;
            _enums = enums;
            _assembly = _reader.IsAssembly
                ? _reader.GetString(_reader.GetAssemblyDefinition().Name)
                : _reader.GetString(_reader.GetModuleDefinition().Name);
        }

        public List<Violation> Run()
        {
            CheckReferences();
            foreach (TypeDefinitionHandle type in _reader.TypeDefinitions)
            {
                CheckType(type);
            }

            foreach (CustomAttributeHandle handle in _reader.CustomAttributes)
            {
                CustomAttribute attribute = _reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind == HandleKind.MemberReference)
                {
                    CheckMemberReference((MemberReferenceHandle)attribute.Constructor, GenericScope.None, "attribute on " + Describe(attribute.Parent));
                }
            }

            // Whatever the walk above did not reach (generic constraints, unused entries) still counts.
            for (int row = 1; row <= _reader.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                TypeSpecificationHandle spec = MetadataTokens.TypeSpecificationHandle(row);
                if (!_visited.Contains(spec))
                {
                    CheckTypeSpecification(spec, GenericScope.None, "metadata");
                }
            }

            foreach (MemberReferenceHandle member in _reader.MemberReferences)
            {
                if (!_visited.Contains(member))
                {
                    CheckMemberReference(member, GenericScope.None, "metadata");
                }
            }

            for (int row = 1; row <= _reader.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                MethodSpecificationHandle spec = MetadataTokens.MethodSpecificationHandle(row);
                if (!_visited.Contains(spec))
                {
                    CheckMethodSpecification(spec, GenericScope.None, "metadata");
                }
            }

            return _violations;
        }

        private void CheckReferences()
        {
            foreach (AssemblyReferenceHandle handle in _reader.AssemblyReferences)
            {
                AssemblyReference reference = _reader.GetAssemblyReference(handle);
                string name = _reader.GetString(reference.Name);
                if (!_allowedReferences.Contains(name))
                {
                    Report(ViolationKind.ForeignReference, $"{name} {reference.Version}", "");
                }

                if (name == CoreLibrary && (reference.Version.Major != 1 || reference.Version.Minor != 17))
                {
                    Report(ViolationKind.CoreLibraryVersion, $"{name} {reference.Version}", "");
                }
            }
        }

        private void CheckType(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            GenericScope scope = _decoder.ScopeOf(handle);
            string name = TypeNames.Of(_reader, handle);
            if (scope.TypeParameters.Length > 0)
            {
                Report(ViolationKind.GenericTypeDefinition, $"{name}<{string.Join(", ", scope.TypeParameters)}>", "");
            }

            string location = "type " + name;
            CheckTypeHandle(type.BaseType, scope, location);
            foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
            {
                CheckTypeHandle(_reader.GetInterfaceImplementation(implementation).Interface, scope, location);
            }

            foreach (FieldDefinitionHandle field in type.GetFields())
            {
                DecodedType fieldType = _reader.GetFieldDefinition(field).DecodeSignature(_decoder, scope);
                Report(fieldType.Findings, Describe(field));
            }

            foreach (PropertyDefinitionHandle property in type.GetProperties())
            {
                var signature = _reader.GetPropertyDefinition(property).DecodeSignature(_decoder, scope);
                Report(SignatureDecoder.Collect(signature), Describe(property));
            }

            foreach (EventDefinitionHandle @event in type.GetEvents())
            {
                CheckTypeHandle(_reader.GetEventDefinition(@event).Type, scope, Describe(@event));
            }

            foreach (MethodDefinitionHandle method in type.GetMethods())
            {
                CheckMethod(handle, method);
            }

            // Explicit implementations name the interface method they implement, e.g. IHolder`1<int>.Get.
            foreach (MethodImplementationHandle implementation in type.GetMethodImplementations())
            {
                EntityHandle declaration = _reader.GetMethodImplementation(implementation).MethodDeclaration;
                if (declaration.Kind == HandleKind.MemberReference)
                {
                    CheckMemberReference((MemberReferenceHandle)declaration, scope, location);
                }
            }
        }

        private void CheckMethod(TypeDefinitionHandle type, MethodDefinitionHandle handle)
        {
            MethodDefinition method = _reader.GetMethodDefinition(handle);
            GenericScope scope = _decoder.ScopeOf(type, handle);
            string name = MethodName(handle);
            string location = "method " + name;
            if (scope.MethodParameters.Length > 0)
            {
                Report(ViolationKind.GenericMethodDefinition, name, "");
            }

            Report(SignatureDecoder.Collect(method.DecodeSignature(_decoder, scope)), location);
            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            MethodBodyBlock body = _pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                var locals = _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_decoder, scope);
                Report(locals.SelectMany(local => local.Findings), location);
            }

            CheckInstructions(body, scope, location);
        }

        private void CheckInstructions(MethodBodyBlock body, GenericScope scope, string location)
        {
            string? boxedEnum = null;
            foreach (IlInstruction instruction in IlInstructions.Read(body))
            {
                if (instruction.Token == 0 || instruction.OpCode == ILOpCode.Ldstr)
                {
                    continue;
                }

                EntityHandle operand = MetadataTokens.EntityHandle(instruction.Token);
                switch (operand.Kind)
                {
                    case HandleKind.TypeSpecification:
                        CheckTypeSpecification((TypeSpecificationHandle)operand, scope, location);
                        break;
                    case HandleKind.MemberReference:
                        CheckMemberReference((MemberReferenceHandle)operand, scope, location);
                        break;
                    case HandleKind.MethodSpecification:
                        CheckMethodSpecification((MethodSpecificationHandle)operand, scope, location);
                        break;
                    case HandleKind.StandaloneSignature:
                        var signature = _reader.GetStandaloneSignature((StandaloneSignatureHandle)operand).DecodeMethodSignature(_decoder, scope);
                        Report(SignatureDecoder.Collect(signature), location);
                        break;
                }

                // An enum boxed (or constrained) and then handed to ToString, string.Format or string.Concat
                // is printed by the runtime, which on the device prints its number.
                if (instruction.OpCode is ILOpCode.Box or ILOpCode.Constrained)
                {
                    boxedEnum = EnumName(operand);
                }
                else if (instruction.OpCode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj)
                {
                    (string declaringType, string name) = Callee(operand, scope);
                    bool prints = name == "ToString" || (declaringType == "System.String" && name is "Format" or "Concat");
                    if (boxedEnum != null && prints)
                    {
                        Report(ViolationKind.EnumToString, $"{boxedEnum} reaches {declaringType}.{name}", location);
                    }

                    boxedEnum = null;
                }
            }
        }

        private void CheckTypeHandle(EntityHandle handle, GenericScope scope, string location)
        {
            if (handle.Kind == HandleKind.TypeSpecification)
            {
                CheckTypeSpecification((TypeSpecificationHandle)handle, scope, location);
            }
        }

        private void CheckTypeSpecification(TypeSpecificationHandle handle, GenericScope scope, string location)
        {
            _visited.Add(handle);
            Report(_reader.GetTypeSpecification(handle).DecodeSignature(_decoder, scope).Findings, location);
        }

        private void CheckMemberReference(MemberReferenceHandle handle, GenericScope scope, string location)
        {
            _visited.Add(handle);
            MemberReference member = _reader.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeSpecification)
            {
                CheckTypeSpecification((TypeSpecificationHandle)member.Parent, scope, location);
            }

            // A member's own signature speaks of its declaring type's parameters, not of the caller's.
            ImmutableArray<Finding> findings = member.GetKind() == MemberReferenceKind.Method
                ? SignatureDecoder.Collect(member.DecodeMethodSignature(_decoder, GenericScope.None))
                : member.DecodeFieldSignature(_decoder, GenericScope.None).Findings;
            Report(findings, location);
        }

        private void CheckMethodSpecification(MethodSpecificationHandle handle, GenericScope scope, string location)
        {
            _visited.Add(handle);
            MethodSpecification specification = _reader.GetMethodSpecification(handle);
            if (specification.Method.Kind == HandleKind.MemberReference)
            {
                CheckMemberReference((MemberReferenceHandle)specification.Method, scope, location);
            }

            ImmutableArray<DecodedType> arguments = specification.DecodeSignature(_decoder, scope);
            (string declaringType, string name) = Callee(specification.Method, scope);
            Report(arguments.SelectMany(a => a.Findings).Where(f => f.Kind != ViolationKind.GenericInstantiation), location);
            Report(ViolationKind.GenericInstantiation, $"{declaringType}.{name}<{string.Join(", ", arguments.Select(a => a.Name))}>", location);
        }

        /// <summary>The enum's full name when <paramref name="handle"/> is an enum type, else null.</summary>
        private string? EnumName(EntityHandle handle)
        {
            string? name = handle.Kind switch
            {
                HandleKind.TypeDefinition => TypeNames.Of(_reader, (TypeDefinitionHandle)handle),
                HandleKind.TypeReference => TypeNames.Of(_reader, (TypeReferenceHandle)handle),
                _ => null,
            };
            return name != null && _enums.Contains(name) ? name : null;
        }

        private (string DeclaringType, string Name) Callee(EntityHandle method, GenericScope scope)
        {
            switch (method.Kind)
            {
                case HandleKind.MethodDefinition:
                    MethodDefinition definition = _reader.GetMethodDefinition((MethodDefinitionHandle)method);
                    return (TypeNames.Of(_reader, definition.GetDeclaringType()), _reader.GetString(definition.Name));
                case HandleKind.MemberReference:
                    MemberReference reference = _reader.GetMemberReference((MemberReferenceHandle)method);
                    return (TypeNames.Of(_reader, reference.Parent, _decoder, scope), _reader.GetString(reference.Name));
                case HandleKind.MethodSpecification:
                    return Callee(_reader.GetMethodSpecification((MethodSpecificationHandle)method).Method, scope);
                default:
                    return ("", "");
            }
        }

        private string Describe(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return "type " + TypeNames.Of(_reader, (TypeDefinitionHandle)handle);
                case HandleKind.MethodDefinition:
                    return "method " + MethodName((MethodDefinitionHandle)handle);
                case HandleKind.FieldDefinition:
                    FieldDefinition field = _reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return $"field {TypeNames.Of(_reader, field.GetDeclaringType())}.{_reader.GetString(field.Name)}";
                case HandleKind.PropertyDefinition:
                    PropertyDefinition property = _reader.GetPropertyDefinition((PropertyDefinitionHandle)handle);
                    return $"property {DeclaringTypeOf(property.GetAccessors().Getter, property.GetAccessors().Setter)}.{_reader.GetString(property.Name)}";
                case HandleKind.EventDefinition:
                    EventDefinition @event = _reader.GetEventDefinition((EventDefinitionHandle)handle);
                    return $"event {DeclaringTypeOf(@event.GetAccessors().Adder, @event.GetAccessors().Remover)}.{_reader.GetString(@event.Name)}";
                case HandleKind.Parameter:
                    return "a parameter";
                case HandleKind.AssemblyDefinition:
                    return "the assembly";
                default:
                    return handle.Kind.ToString();
            }
        }

        /// <summary>"Ns.Type.Name&lt;T&gt;(int, string)".</summary>
        private string MethodName(MethodDefinitionHandle handle)
        {
            MethodDefinition method = _reader.GetMethodDefinition(handle);
            TypeDefinitionHandle type = method.GetDeclaringType();
            GenericScope scope = _decoder.ScopeOf(type, handle);
            string generic = scope.MethodParameters.Length > 0 ? $"<{string.Join(", ", scope.MethodParameters)}>" : "";
            var parameters = method.DecodeSignature(_decoder, scope).ParameterTypes.Select(p => p.Name);
            return $"{TypeNames.Of(_reader, type)}.{_reader.GetString(method.Name)}{generic}({string.Join(", ", parameters)})";
        }

        private string DeclaringTypeOf(MethodDefinitionHandle accessor, MethodDefinitionHandle other)
        {
            MethodDefinitionHandle any = accessor.IsNil ? other : accessor;
            return any.IsNil ? "?" : TypeNames.Of(_reader, _reader.GetMethodDefinition(any).GetDeclaringType());
        }

        private void Report(IEnumerable<Finding> findings, string location)
        {
            foreach (Finding finding in findings)
            {
                Report(finding.Kind, finding.Subject, location);
            }
        }

        private void Report(ViolationKind kind, string subject, string location)
        {
            var violation = new Violation(_assembly, kind, subject, location);
            if (_reported.Add(violation))
            {
                _violations.Add(violation);
            }
        }
    }
}
