/**
 * The default monthly report template ("monthly-emulation"), seeded into the database.
 *
 * Sources (in the shared seeds folder, see also DOMAIN.md, section "Report template"):
 * - 004_2146303fe40ad2d6.txt: the Minister's 2018 directive on emulation and commendation, its
 *   ten key tasks (nhiệm vụ trọng tâm) and the duty to report monthly → keyTasks KT01..KT10.
 * - 001_2f516d689536a5d7.txt: directive 103/CT-BTTTT of 13/12/2021 (the 2022 targets) as relayed
 *   by the An Giang Department of Information and Communications → indicators IND01..IND03 and
 *   the six sector fields SEC01..SEC06.
 * Texts are paraphrased, not quoted. Vietnamese is NFC-normalised.
 */
import type { TemplateDefinition } from '../../domain/template';

export const DEFAULT_TEMPLATE_CODE = 'monthly-emulation';

export const defaultTemplate: TemplateDefinition = {
  title: {
    vi: 'Báo cáo định kỳ hàng tháng về công tác thi đua, khen thưởng',
    en: 'Monthly report on emulation and commendation work',
  },

  // The ten key tasks of the 2018 directive (seed 004), in the directive's order.
  keyTasks: [
    {
      code: 'KT01',
      title: {
        vi: 'Tuyên truyền, quán triệt tư tưởng Hồ Chí Minh về thi đua ái quốc, các chỉ thị của Bộ Chính trị và pháp luật về thi đua, khen thưởng; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh',
        en: "Disseminate Hồ Chí Minh's thought on patriotic emulation, the Politburo's directives and the law on emulation and commendation; study and follow his thought, ethics and style",
      },
    },
    {
      code: 'KT02',
      title: {
        vi: 'Nâng cao trách nhiệm của cấp ủy, tổ chức Đảng trong lãnh đạo phong trào thi đua; phối hợp với tổ chức chuyên môn, đoàn thể; vận động cán bộ, người lao động gương mẫu tham gia',
        en: 'Party committees lead the emulation movements together with professional and mass organisations; mobilise staff and workers to take part and set an example',
      },
    },
    {
      code: 'KT03',
      title: {
        vi: 'Đổi mới nội dung, phương thức tổ chức phong trào thi đua, bám sát nhiệm vụ chính trị của ngành, đơn vị; tập trung hoàn thiện thể chế, cải cách thủ tục hành chính',
        en: "Renew the content and methods of emulation movements, tied to the sector's and unit's political tasks, with a focus on institution building and administrative reform",
      },
    },
    {
      code: 'KT04',
      title: {
        vi: 'Hưởng ứng các phong trào thi đua do Thủ tướng Chính phủ phát động (xây dựng nông thôn mới, Doanh nghiệp Việt Nam hội nhập và phát triển); phát động thi đua theo đợt, theo chuyên đề',
        en: 'Join the national movements launched by the Prime Minister (New Rural Development, Vietnamese Enterprises Integrate and Develop); run periodic and thematic emulation drives',
      },
    },
    {
      code: 'KT05',
      title: {
        vi: 'Đẩy mạnh thi đua phát huy sáng kiến, áp dụng tiến bộ khoa học kỹ thuật, ứng dụng công nghệ thông tin, nâng cao năng suất, chất lượng, hiệu quả, đáp ứng yêu cầu Cách mạng công nghiệp 4.0',
        en: 'Promote initiatives, scientific and technical progress and IT application to raise productivity, quality and efficiency, in line with Industry 4.0',
      },
    },
    {
      code: 'KT06',
      title: {
        vi: 'Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến, mô hình mới; cơ quan báo chí tăng thời lượng, chuyên trang, chuyên mục tuyên truyền',
        en: 'Discover, nurture and replicate advanced examples and new models; press agencies give more airtime, pages and columns to promoting them',
      },
    },
    {
      code: 'KT07',
      title: {
        vi: 'Nâng cao chất lượng, hiệu quả công tác khen thưởng, bảo đảm chính xác, kịp thời, công khai, minh bạch',
        en: 'Raise the quality and effectiveness of commendation: accurate, timely, public and transparent',
      },
    },
    {
      code: 'KT08',
      title: {
        vi: 'Phát huy vai trò người đứng đầu; tăng cường trách nhiệm của Hội đồng Thi đua - Khen thưởng các cấp và cán bộ thi đua, khen thưởng; đẩy mạnh kiểm tra, giám sát việc thực hiện pháp luật',
        en: 'Heads of units lead; strengthen the Emulation & Commendation Councils at every level and their staff; step up inspection of compliance with the law on emulation and commendation',
      },
    },
    {
      code: 'KT09',
      title: {
        vi: 'Bồi dưỡng chuyên môn, nghiệp vụ cho cán bộ làm công tác thi đua, khen thưởng ở cơ sở',
        en: 'Train emulation and commendation staff at the grassroots',
      },
    },
    {
      code: 'KT10',
      title: {
        vi: 'Các tổ chức đoàn thể vận động đoàn viên, hội viên tích cực thực hiện phong trào thi đua, góp phần hoàn thành kế hoạch phát triển của ngành',
        en: "Mass organisations mobilise their members to take an active part in the emulation movements and help fulfil the sector's development plan",
      },
    },
  ],

  // The numeric 2022 targets of directive 103/CT-BTTTT (seed 001). The seed states no other
  // figure a unit could report monthly ("04 loại doanh nghiệp", "3 trụ cột" are not targets).
  indicators: [
    {
      // "Năm 2022, tỷ lệ doanh nghiệp công nghệ số trên 1.000 dân đạt 0,7" (ICT industry).
      code: 'IND01',
      title: {
        vi: 'Tỷ lệ doanh nghiệp công nghệ số trên 1.000 dân',
        en: 'Digital-technology enterprises per 1,000 population',
      },
      measure: { vi: 'DN/1.000 dân', en: 'enterprises per 1,000 people' },
      target: { kind: 'at_least', value: 0.7 },
      aggregation: 'average',
      min: 0,
      max: 1000,
      required: true,
    },
    {
      // "tốc độ phát triển doanh nghiệp công nghệ số Việt Nam từ 10% - 20%" (ICT industry).
      code: 'IND02',
      title: {
        vi: 'Tốc độ phát triển doanh nghiệp công nghệ số',
        en: 'Growth rate of digital-technology enterprises',
      },
      measure: { vi: '%', en: '%' },
      target: { kind: 'between', min: 10, max: 20 },
      aggregation: 'average',
      min: -100,
      max: 1000,
      required: false,
    },
    {
      // "Việt Nam vào nhóm 80 quốc gia dẫn đầu ... theo đánh giá của Liên Hợp Quốc" (IT
      // application). A better rank is a lower number, hence "min" and "at_most".
      code: 'IND03',
      title: {
        vi: 'Thứ hạng Chính phủ điện tử của Việt Nam theo đánh giá của Liên Hợp Quốc',
        en: "Viet Nam's rank in the United Nations e-government ranking",
      },
      measure: { vi: 'thứ hạng', en: 'rank' },
      target: { kind: 'at_most', value: 80 },
      aggregation: 'min',
      min: 1,
      max: 200,
      required: false,
    },
  ],

  // The six sector fields of the 2022 targets (seed 001). The seed heads the first one
  // "Lĩnh vực Bưu chính" but its content is the 2022 telecommunications goals.
  sections: [
    { code: 'SEC01', title: { vi: 'Bưu chính, viễn thông', en: 'Posts and telecommunications' } },
    { code: 'SEC02', title: { vi: 'Ứng dụng công nghệ thông tin', en: 'Information technology application' } },
    { code: 'SEC03', title: { vi: 'An toàn thông tin mạng', en: 'Information security' } },
    { code: 'SEC04', title: { vi: 'Kinh tế số', en: 'Digital economy' } },
    { code: 'SEC05', title: { vi: 'Công nghiệp ICT', en: 'ICT industry' } },
    { code: 'SEC06', title: { vi: 'Báo chí, truyền thông', en: 'Press and media' } },
  ],

  limits: { textMaxLength: 5000, maxRows: 50 },
};
