// Cases run in parallel, each on its own connection; this default bound never floods a target and can be
// changed per run with: dotnet test -- NUnit.NumberOfTestWorkers=N
[assembly: LevelOfParallelism(8)]
