/**
 * `annals import docx`: a Word chapter made here with the `docx` package (nothing binary is committed) —
 * title and headings with typed numbering, Chinese and English text with emphasis, a bulleted list, a
 * table with a 表 caption and a source line, an image with a 图 caption, a footnote, a hyperlink, a comment,
 * a tracked change and an equation — imports into the expected Markdown, is added to book.yaml with its
 * comments kept, and the book builds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  Math as DocxMath,
  MathRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { importDocxOutput, runImportDocx, type ImportCommandOptions } from '../pipeline/commands/import.ts';
import { stripTypedNumber } from '../pipeline/import/docx-to-mdast.ts';
import { scanDocx } from '../pipeline/import/scan-docx.ts';
import { nextChapterName, withChapter } from '../pipeline/import/import-docx.ts';
import { parseDocument } from 'yaml';
import JSZip from 'jszip';
import { build, tempProject, writeBook } from './helpers.ts';

/** A w × h PNG of one colour (IHDR, one IDAT, IEND), built by hand so the test needs no image library. */
/** `annals import docx` as cli.ts runs it: what it prints and its exit code. */
async function importPrinted(file: string, options: ImportCommandOptions) {
  return importDocxOutput(await runImportDocx(file, options), { json: false });
}

function png(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x40)]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const date = '2026-01-05T08:00:00Z';
const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

function chapterDocx(): Promise<Buffer> {
  const doc = new Document({
    comments: { children: [{ id: 0, author: '张编辑', date: new Date(date), children: [new Paragraph('请核实2025年的数据来源。')] }] },
    footnotes: { 1: { children: [new Paragraph('国家统计局，《2025年国民经济和社会发展统计公报》。')] } },
    sections: [
      {
        children: [
          new Paragraph({ text: '第三章 数字基础设施', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: '一、总体情况', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('2025年，全国'),
              new TextRun({ text: '5G基站', bold: true }),
              new TextRun('总数持续增长'),
              new FootnoteReferenceRun(1),
              new TextRun('，'),
              new TextRun({ text: 'mobile broadband', italics: true }),
              new TextRun(' coverage reached 98%.'),
            ],
          }),
          new Paragraph({
            children: [
              new CommentRangeStart(0),
              new TextRun('详见'),
              new ExternalHyperlink({ link: 'https://www.miit.gov.cn/', children: [new TextRun('工业和信息化部网站')] }),
              new TextRun('。'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
            ],
          }),
          new Paragraph({ text: '（一）网络建设', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: '千兆光网覆盖所有地级市', bullet: { level: 0 } }),
          new Paragraph({ text: '算力规模位居世界前列', bullet: { level: 0 } }),
          new Paragraph('表3-1 主要指标'),
          new Table({
            rows: [new TableRow({ children: [cell('指标'), cell('数值')] }), new TableRow({ children: [cell('5G基站（万个）'), cell('425')] })],
          }),
          new Paragraph('资料来源：工业和信息化部'),
          new Paragraph({ children: [new ImageRun({ type: 'png', data: png(4, 3), transformation: { width: 40, height: 30 }, altText: { name: 'chart', description: '柱状图', title: '柱状图' } })] }),
          new Paragraph('图3-1 网络架构示意'),
          new Paragraph({
            children: [
              new TextRun('修订：'),
              new InsertedTextRun({ text: '新增内容', id: 1, author: '李四', date }),
              new DeletedTextRun({ text: '删除内容', id: 2, author: '李四', date }),
            ],
          }),
          new Paragraph({ children: [new TextRun('公式：'), new DocxMath({ children: [new MathRun('E=mc^2')] })] }),
          new Paragraph({ children: [new TextRun('图标'), new ImageRun({ type: 'png', data: png(2, 2), transformation: { width: 10, height: 10 }, altText: { name: 'icon', description: '图标', title: '图标' } }), new TextRun('在文中')] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const expected = `---
title: 数字基础设施
---

## 总体情况

2025年，全国**5G基站**总数持续增长[^1]，*mobile broadband* coverage reached 98%.

详见[工业和信息化部网站](https://www.miit.gov.cn/)。

<!-- 批注（张编辑）：请核实2025年的数据来源。 -->

### 网络建设

- 千兆光网覆盖所有地级市
- 算力规模位居世界前列

:::table[主要指标]{source="工业和信息化部"}
| 指标 | 数值 |
| - | - |
| 5G基站（万个） | 425 |
:::

::figure[网络架构示意]{src="images/infrastructure-1.png" alt="柱状图"}

修订：新增内容

公式：

图标![图标](images/infrastructure-2.png)在文中

[^1]: 国家统计局，《2025年国民经济和社会发展统计公报》。
`;

test('typed numbering is stripped from headings', () => {
  assert.equal(stripTypedNumber('第三章 数字基础设施'), '数字基础设施');
  assert.equal(stripTypedNumber('一、总体情况'), '总体情况');
  assert.equal(stripTypedNumber('（二）网络建设'), '网络建设');
  assert.equal(stripTypedNumber('3.2 Networks'), 'Networks');
  assert.equal(stripTypedNumber('2025年展望'), '2025年展望');
});

test('adding a chapter to book.yaml changes nothing else in the file', () => {
  const block = 'id: b   # the id\nlists: [figures, tables]     # lists\neditions:\n  zh:\n    chapters:\n      - 01-a.md   # first\n      - 02-b.md\n  en:\n    chapters: [01-a.md, 02-b.md]\n';
  assert.equal(
    withChapter(block, parseDocument(block), 'zh', '03-c.md'),
    'id: b   # the id\nlists: [figures, tables]     # lists\neditions:\n  zh:\n    chapters:\n      - 01-a.md   # first\n      - 02-b.md\n      - 03-c.md\n  en:\n    chapters: [01-a.md, 02-b.md]\n',
  );
  assert.equal(withChapter(block, parseDocument(block), 'en', '03-c.md'), block.replace('[01-a.md, 02-b.md]', '[01-a.md, 02-b.md, 03-c.md]'));
});

test('without --as the chapter takes the next number and a slug from the file name', () => {
  assert.equal(nextChapterName(['00-preface.md', '01-overview.md', '03-innovation.md'], '/in/第四章 Digital Economy.docx'), '04-digital-economy.md');
  assert.equal(nextChapterName(['01-overview.md'], '/in/第二章 信息基础设施.docx'), '02-chapter.md');
  assert.equal(nextChapterName([], '/in/05_Governance.docx'), '01-governance.md');
});

test('a Word chapter imports into the expected Markdown, joins book.yaml and builds', async () => {
  const project = tempProject();
  writeBook(project, { id: 'docx-book', chapters: { '01-intro.md': '---\ntitle: 引言\n---\n\n引言正文。\n' } });
  // A comment in book.yaml must survive the --add.
  const yamlPath = join(project.root, 'manuscripts/docx-book/book.yaml');
  writeFileSync(yamlPath, '# 测试之书：导入\n' + readFileSync(yamlPath, 'utf8'));
  const file = join(project.root, 'chapter.docx');
  writeFileSync(file, await chapterDocx());

  const { code, stdout: out, stderr: err } = await importPrinted(file, { book: 'docx-book', edition: 'zh', as: '02-infrastructure.md', add: true, keepComments: true, root: project.root, project });
  assert.equal(code, 0, err);

  const markdown = project.read('manuscripts/docx-book/zh/02-infrastructure.md');
  assert.equal(markdown, expected);
  const image = readFileSync(join(project.root, 'manuscripts/docx-book/images/infrastructure-1.png'));
  assert.deepEqual([...image.subarray(1, 4)], [0x50, 0x4e, 0x47], 'the image is the PNG from the document');

  // The review list names the comment, its author and its paragraph (the 4th paragraph of the document).
  assert.match(out, /review list \(1 comment\):\n {2}1\. 张编辑, paragraph 4 \(“详见工业和信息化部网站。”\): 请核实2025年的数据来源。/);
  // Unmappable content, with the docx paragraph number: tracked changes in paragraph 16, the equation in 17
  // (the title is paragraph 1; the table's four cells count as paragraphs 9–12).
  assert.match(err, /paragraph 16 \("修订：新增内容"\): a tracked insertion not yet accepted .*\[import-unmappable\]/);
  assert.match(err, /paragraph 16 \("修订：新增内容"\): a tracked deletion not yet accepted .*\[import-unmappable\]/);
  assert.match(err, /paragraph 17 \("公式："\): an equation \(Word OMML\), which was left out.*\[import-unmappable\]/);
  assert.match(err, /added 02-infrastructure\.md to book\.yaml/);

  const yaml = readFileSync(yamlPath, 'utf8');
  assert.match(yaml, /^# 测试之书：导入\n/);
  assert.match(yaml, /- 01-intro\.md\n\s+- 02-infrastructure\.md/);

  // Importing again under the same name: refused without --force, and an image that differs is not replaced.
  writeFileSync(join(project.root, 'manuscripts/docx-book/images/infrastructure-1.png'), png(2, 2));
  const again = await importPrinted(file, { book: 'docx-book', edition: 'zh', as: '02-infrastructure.md', force: false, root: project.root, project });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /02-infrastructure\.md exists already/);
  const otherImage = await importPrinted(file, { book: 'docx-book', edition: 'zh', as: '03-infrastructure.md', root: project.root, project });
  assert.equal(otherImage.code, 1);
  assert.match(otherImage.stderr, /docx-book\/images\/infrastructure-1\.png exists already with other content.*\[import-file\]/);
  assert.equal(existsSync(join(project.root, 'manuscripts/docx-book/zh/03-infrastructure.md')), false);
  assert.equal((await importPrinted(file, { book: 'docx-book', edition: 'zh', as: '02-infrastructure.md', force: true, keepComments: true, root: project.root, project })).code, 0);
  assert.ok(readFileSync(join(project.root, 'manuscripts/docx-book/images/infrastructure-1.png')).equals(image), 'replaced with --force');

  const result = await build(project, { books: ['docx-book'] });
  assert.ok(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));
  const html = project.read('out/docx-book/zh/site/infrastructure.html');
  assert.match(html, /<span class="caption-label">表2-1<\/span><span class="caption-text">主要指标<\/span>/);
  assert.match(html, /<span class="caption-label">图2-1<\/span>/);
  assert.match(html, /<img src="images\/infrastructure-1\.png"/);
  assert.match(html, /data-footnote-ref/);
});

test('an existing chapter is not overwritten, and a derived edition is refused', async () => {
  const project = tempProject();
  writeBook(project, { id: 'docx-book', chapters: { '01-intro.md': '---\ntitle: 引言\n---\n\n正文。\n' } });
  const file = join(project.root, 'c.docx');
  writeFileSync(file, await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('正文')] }] })));
  const existing = await importPrinted(file, { book: 'docx-book', edition: 'zh', as: '01-intro.md', root: project.root, project });
  assert.equal(existing.code, 1);
  assert.match(existing.stderr, /docx-book\/zh\/01-intro\.md exists already; choose another name with --as, or replace it with --force.*\[import-file\]/);
  assert.equal(project.read('manuscripts/docx-book/zh/01-intro.md'), '---\ntitle: 引言\n---\n\n正文。\n');
  const missing = await importPrinted(join(project.root, 'missing.docx'), { book: 'docx-book', edition: 'zh', root: project.root, project });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file: .*missing\.docx.*\[import-file\]/);
  assert.equal(existsSync(join(project.root, 'manuscripts/docx-book/zh/02-missing.md')), false);
});

test('text boxes, SmartArt, charts and tracked changes are found with their paragraph numbers', async () => {
  // word/document.xml as Word writes these (trimmed to what the scan reads); the docx package cannot make them.
  const p = (inner: string) => `<w:p>${inner}</w:p>`;
  const t = (text: string) => `<w:r><w:t>${text}</w:t></w:r>`;
  const body = [
    p(t('第一段')),
    p(t('文本框前') + '<w:r><w:drawing><wps:txbx><w:txbxContent>' + p(t('框内文字')) + '</w:txbxContent></wps:txbx></w:drawing></w:r>'),
    p(t('组织结构') + '<w:r><w:drawing><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds r:dm="rId5"/></a:graphicData></w:drawing></w:r>'),
    p(t('图表') + '<w:r><w:drawing><c:chart r:id="rId6"/></w:drawing></w:r>'),
    p(t('已改') + '<w:del w:id="1" w:author="王"><w:r><w:delText>旧文</w:delText></w:r></w:del>' + '<w:commentRangeStart w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>'),
    p(t('A &amp; B')),
  ].join('');
  const zip = new JSZip();
  zip.file('word/document.xml', `<?xml version="1.0"?><w:document xmlns:w="w"><w:body>${body}</w:body></w:document>`);
  const scan = await scanDocx(await zip.generateAsync({ type: 'uint8array' }));
  assert.equal(scan.paragraphs, 7); // the text box's paragraph counts, after the one holding it
  assert.deepEqual(
    scan.unmappable.map((u) => [u.kind, u.paragraph, u.excerpt]),
    [
      ['text-box', 2, '文本框前'],
      ['smartart', 4, '组织结构'],
      ['chart', 5, '图表'],
      ['tracked-deletion', 6, '已改'],
    ],
  );
  assert.deepEqual([...scan.commentParagraphs], [['3', 6]]);
});
