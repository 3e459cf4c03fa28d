// Placeholder entry point; the reference server is built in tools/ReferenceServer (see its README).
return 0;
