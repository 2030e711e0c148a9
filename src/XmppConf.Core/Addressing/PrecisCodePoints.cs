using System.Buffers;
using System.Globalization;
using System.Text;

namespace XmppConf.Core.Addressing;

/// <summary>The two PRECIS string classes (RFC 8264 §4).</summary>
internal enum PrecisStringClass
{
    /// <summary>IdentifierClass: letters and digits plus printable ASCII.</summary>
    Identifier,

    /// <summary>FreeformClass: also spaces, symbols, punctuation and compatibility characters.</summary>
    Freeform,
}

/// <summary>
/// The PRECIS derived property (RFC 8264 §8) computed from .NET's own Unicode tables rather than
/// the IANA registry, so it follows the runtime's Unicode version. Approximations, all toward
/// rejecting: CONTEXTJ (ZWJ/ZWNJ) is always disallowed because .NET exposes no canonical combining
/// class to find a virama; script tests for the CONTEXTO rules use block ranges.
/// </summary>
internal static class PrecisCodePoints
{
    private enum Verdict { Valid, Disallowed, Contextual }

    /// <summary>True when every code point is allowed in <paramref name="stringClass"/> and every contextual rule holds.</summary>
    public static bool IsValid(ReadOnlySpan<char> text, PrecisStringClass stringClass)
    {
        var previous = default(Rune);
        var sawArabicIndic = false;
        var sawExtendedArabicIndic = false;
        var sawKatakanaMiddleDot = false;
        var sawKanaOrHan = false;

        var i = 0;
        while (i < text.Length)
        {
            // A lone surrogate is not a code point at all.
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            var cp = rune.Value;
            switch (Classify(rune, stringClass))
            {
                case Verdict.Disallowed:
                    return false;
                case Verdict.Contextual:
                    // RFC 5892 Appendix A.3-A.9.
                    if (cp == 0x00B7)
                    {
                        // MIDDLE DOT only between two 'l' (Catalan "l·l").
                        if (previous.Value != 'l' || !NextIs(text, i + consumed, static n => n == 'l')) return false;
                    }
                    else if (cp == 0x0375)
                    {
                        // GREEK LOWER NUMERAL SIGN must be followed by Greek.
                        if (!NextIs(text, i + consumed, IsGreek)) return false;
                    }
                    else if (cp is 0x05F3 or 0x05F4)
                    {
                        // HEBREW GERESH / GERSHAYIM must follow Hebrew.
                        if (!IsHebrew(previous.Value)) return false;
                    }
                    else if (cp == 0x30FB)
                    {
                        sawKatakanaMiddleDot = true;
                    }
                    else if (cp is >= 0x0660 and <= 0x0669)
                    {
                        sawArabicIndic = true;
                    }
                    else
                    {
                        sawExtendedArabicIndic = true;
                    }
                    break;
            }

            sawKanaOrHan |= IsKanaOrHan(cp);
            previous = rune;
            i += consumed;
        }

        // Arabic-Indic and Extended Arabic-Indic digits must not mix; KATAKANA MIDDLE DOT needs a
        // Hiragana, Katakana or Han character somewhere in the string.
        if (sawArabicIndic && sawExtendedArabicIndic) return false;
        if (sawKatakanaMiddleDot && !sawKanaOrHan) return false;
        return true;
    }

    private static Verdict Classify(Rune rune, PrecisStringClass stringClass)
    {
        var cp = rune.Value;

        // RFC 8264 §9.11 ASCII7: printable ASCII is always valid (no exception touches ASCII).
        if (cp is >= 0x21 and <= 0x7E) return Verdict.Valid;

        // RFC 5892 §2.6 Exceptions come first.
        switch (cp)
        {
            case 0x00DF or 0x03C2 or 0x06FD or 0x06FE or 0x0F0B or 0x3007:
                return Verdict.Valid;
            case 0x0640 or 0x07FA or 0x302E or 0x302F or (>= 0x3031 and <= 0x3035) or 0x303B:
                return Verdict.Disallowed;
            case 0x00B7 or 0x0375 or 0x05F3 or 0x05F4 or 0x30FB or (>= 0x0660 and <= 0x0669) or (>= 0x06F0 and <= 0x06F9):
                return Verdict.Contextual;
        }

        var category = Rune.GetUnicodeCategory(rune);

        // Unassigned code points and noncharacters (both Cn) are never valid.
        if (category == UnicodeCategory.OtherNotAssigned) return Verdict.Disallowed;

        // JoinControl (CONTEXTJ), OldHangulJamo, PrecisIgnorableProperties, Controls.
        if (cp is 0x200C or 0x200D) return Verdict.Disallowed;
        if (IsOldHangulJamo(cp) || IsIgnorableNotFormat(cp)) return Verdict.Disallowed;
        if (category == UnicodeCategory.Control) return Verdict.Disallowed;

        // HasCompat: NFKC would change it. FREE_PVAL, so Identifier rejects it (RFC 8264 §9.17).
        if (HasCompat(rune)) return stringClass == PrecisStringClass.Freeform ? Verdict.Valid : Verdict.Disallowed;

        switch (category)
        {
            // LetterDigits (RFC 8264 §9.1).
            case UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ModifierLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark:
                return Verdict.Valid;

            // OtherLetterDigits, Spaces, Symbols, Punctuation: FREE_PVAL.
            case UnicodeCategory.TitlecaseLetter or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.EnclosingMark or UnicodeCategory.SpaceSeparator
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
                or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation:
                return stringClass == PrecisStringClass.Freeform ? Verdict.Valid : Verdict.Disallowed;

            // Format, line/paragraph separators, surrogates, private use.
            default:
                return Verdict.Disallowed;
        }
    }

    private static bool HasCompat(Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        var length = rune.EncodeToUtf16(buffer);
        return !((ReadOnlySpan<char>)buffer[..length]).IsNormalized(NormalizationForm.FormKC);
    }

    // RFC 5892 §2.9: all conjoining jamo (Hangul_Syllable_Type L, V or T).
    private static bool IsOldHangulJamo(int cp) =>
        cp is (>= 0x1100 and <= 0x11FF) or (>= 0xA960 and <= 0xA97F) or (>= 0xD7B0 and <= 0xD7FF);

    // Default_Ignorable_Code_Point members that are not already excluded as Cf or Cn.
    private static bool IsIgnorableNotFormat(int cp) =>
        cp is 0x034F or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x3164 or (>= 0xFE00 and <= 0xFE0F)
            or 0xFFA0 or (>= 0xE0000 and <= 0xE0FFF);

    private static bool NextIs(ReadOnlySpan<char> text, int index, Func<int, bool> predicate) =>
        index < text.Length
        && Rune.DecodeFromUtf16(text[index..], out var next, out _) == OperationStatus.Done
        && predicate(next.Value);

    private static bool IsGreek(int cp) => cp is (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF);

    private static bool IsHebrew(int cp) => cp is (>= 0x0590 and <= 0x05FF) or (>= 0xFB1D and <= 0xFB4F);

    // Hiragana, Katakana (minus the middle dot itself) and Han blocks.
    private static bool IsKanaOrHan(int cp) =>
        cp is (>= 0x3040 and <= 0x309F) or (>= 0x30A0 and <= 0x30FA) or (>= 0x30FC and <= 0x30FF)
            or (>= 0x31F0 and <= 0x31FF) or (>= 0xFF66 and <= 0xFF9F)
            or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x3FFFF);
}
