using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace ChargerFirmware.Tests.Portability;

/// <summary>A rule broken inside a signature: which rule and the type that breaks it.</summary>
internal sealed record Finding(ViolationKind Kind, string Subject);

/// <summary>A decoded signature type: its readable name and the findings anywhere inside it.</summary>
internal sealed record DecodedType(string Name, ImmutableArray<Finding> Findings, bool IsGenericParameter = false)
{
    public static DecodedType Plain(string name) => new(name, ImmutableArray<Finding>.Empty);
}

/// <summary>Names of the generic parameters in scope, so signatures print "T" instead of "!0".</summary>
internal sealed record GenericScope(ImmutableArray<string> TypeParameters, ImmutableArray<string> MethodParameters)
{
    public static readonly GenericScope None = new(ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);
}

/// <summary>
/// Turns signature blobs into readable names and collects, on the way, every generic instantiation
/// (outermost only: List`1&lt;List`1&lt;int&gt;&gt; is one finding) and every multidimensional array.
/// </summary>
internal sealed class SignatureDecoder : ISignatureTypeProvider<DecodedType, GenericScope>
{
    private readonly MetadataReader _reader;

    public SignatureDecoder(MetadataReader reader)
    {
        _reader = reader;
    }

    public DecodedType GetPrimitiveType(PrimitiveTypeCode typeCode) => DecodedType.Plain(typeCode switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        _ => typeCode.ToString(),
    });

    public DecodedType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        DecodedType.Plain(TypeNames.Of(reader, handle));

    public DecodedType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        DecodedType.Plain(TypeNames.Of(reader, handle));

    public DecodedType GetTypeFromSpecification(MetadataReader reader, GenericScope genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public DecodedType GetSZArrayType(DecodedType elementType) => elementType with { Name = elementType.Name + "[]", IsGenericParameter = false };

    public DecodedType GetArrayType(DecodedType elementType, ArrayShape shape)
    {
        string name = $"{elementType.Name}[{new string(',', shape.Rank - 1)}]";
        return new DecodedType(name, elementType.Findings.Add(new Finding(ViolationKind.MultidimensionalArray, name)));
    }

    public DecodedType GetGenericInstantiation(DecodedType genericType, ImmutableArray<DecodedType> typeArguments)
    {
        string name = $"{genericType.Name}<{string.Join(", ", typeArguments.Select(t => t.Name))}>";
        var inner = typeArguments.SelectMany(t => t.Findings).Where(f => f.Kind != ViolationKind.GenericInstantiation);

        // Box`1<T> over the parameters themselves only occurs inside a generic definition, reported as such.
        bool open = typeArguments.All(t => t.IsGenericParameter);
        var findings = open ? inner : inner.Append(new Finding(ViolationKind.GenericInstantiation, name));
        return new DecodedType(name, findings.ToImmutableArray());
    }

    public DecodedType GetGenericTypeParameter(GenericScope genericContext, int index) => new(
        index < genericContext.TypeParameters.Length ? genericContext.TypeParameters[index] : $"!{index}",
        ImmutableArray<Finding>.Empty,
        IsGenericParameter: true);

    public DecodedType GetGenericMethodParameter(GenericScope genericContext, int index) => new(
        index < genericContext.MethodParameters.Length ? genericContext.MethodParameters[index] : $"!!{index}",
        ImmutableArray<Finding>.Empty,
        IsGenericParameter: true);

    public DecodedType GetByReferenceType(DecodedType elementType) => elementType with { Name = elementType.Name + "&" };

    public DecodedType GetPointerType(DecodedType elementType) => elementType with { Name = elementType.Name + "*", IsGenericParameter = false };

    public DecodedType GetPinnedType(DecodedType elementType) => elementType;

    public DecodedType GetModifiedType(DecodedType modifier, DecodedType unmodifiedType, bool isRequired) =>
        unmodifiedType with { Findings = unmodifiedType.Findings.AddRange(modifier.Findings) };

    public DecodedType GetFunctionPointerType(MethodSignature<DecodedType> signature) =>
        new("delegate*<" + string.Join(", ", signature.ParameterTypes.Append(signature.ReturnType).Select(t => t.Name)) + ">",
            Collect(signature));

    /// <summary>Findings in a method signature's return and parameter types.</summary>
    public static ImmutableArray<Finding> Collect(MethodSignature<DecodedType> signature) =>
        signature.ParameterTypes.Append(signature.ReturnType).SelectMany(t => t.Findings).ToImmutableArray();

    /// <summary>The names of a type's generic parameters, and of its method's when one is given.</summary>
    public GenericScope ScopeOf(TypeDefinitionHandle type, MethodDefinitionHandle method = default)
    {
        var typeParameters = NamesOf(_reader.GetTypeDefinition(type).GetGenericParameters());
        var methodParameters = method.IsNil
            ? ImmutableArray<string>.Empty
            : NamesOf(_reader.GetMethodDefinition(method).GetGenericParameters());
        return new GenericScope(typeParameters, methodParameters);
    }

    private ImmutableArray<string> NamesOf(GenericParameterHandleCollection parameters) =>
        parameters.Select(p => _reader.GetString(_reader.GetGenericParameter(p).Name)).ToImmutableArray();
}

/// <summary>Full names as the runtime sees them: namespace, then nested types joined with '+'.</summary>
internal static class TypeNames
{
    public static string Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return Of(reader, declaring) + "+" + name;
        }

        return Qualify(reader.GetString(type.Namespace), name);
    }

    public static string Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Of(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        return Qualify(reader.GetString(type.Namespace), name);
    }

    /// <summary>Name of a TypeDef, TypeRef or TypeSpec handle (a TypeSpec is decoded).</summary>
    public static string Of(MetadataReader reader, EntityHandle handle, SignatureDecoder decoder, GenericScope scope) => handle.Kind switch
    {
        HandleKind.TypeDefinition => Of(reader, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => Of(reader, (TypeReferenceHandle)handle),
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(decoder, scope).Name,
        _ => $"token 0x{MetadataTokens.GetToken(handle):X8}",
    };

    private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}
