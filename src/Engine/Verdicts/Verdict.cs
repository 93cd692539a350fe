namespace Judge.Engine.Verdicts;

/// <summary>Judgement of one test or of a whole submission (ARCHITECTURE.md section 6).</summary>
public enum Verdict
{
    /// <summary>Accepted.</summary>
    AC,
    /// <summary>Wrong answer.</summary>
    WA,
    /// <summary>Presentation error.</summary>
    PE,
    /// <summary>Time limit exceeded (CPU or wall).</summary>
    TLE,
    /// <summary>Memory limit exceeded.</summary>
    MLE,
    /// <summary>Output limit exceeded.</summary>
    OLE,
    /// <summary>Run-time error: non-zero exit or killed by a signal.</summary>
    RE,
    /// <summary>Compilation error.</summary>
    CE,
    /// <summary>Judge error: never the submitter's fault.</summary>
    IE,
    /// <summary>Skipped after an earlier test failed.</summary>
    SK,
}
