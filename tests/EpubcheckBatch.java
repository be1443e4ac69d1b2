// EPUBCheck on several EPUB files in one Java process (tests/epubcheck.ts): each file is checked exactly as
// `java -jar epubcheck.jar <file>` checks it (the jar's main class, com.adobe.epubcheck.tool.Checker, is
// `System.exit(new EpubChecker().run(args))`), but the JVM starts and compiles EPUBCheck's schemas once
// instead of once per file. Its messages (stdout and stderr as one stream) are framed by marker lines.
// Run as a single-file source program, which needs the JDK's compiler module (jdk.compiler):
//   java -cp /usr/share/java/epubcheck.jar tests/EpubcheckBatch.java a.epub b.epub
public class EpubcheckBatch {
  public static void main(String[] files) {
    System.setErr(System.out);
    for (String file : files) {
      System.out.println("@@annals-epubcheck begin " + file);
      int status = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] { file });
      System.out.flush();
      System.out.println("@@annals-epubcheck end " + status);
    }
  }
}
