package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.TestDb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Many posts for the search scenarios, written straight into the database (the API would take minutes
 * for 100,000 and its limits would refuse them): titles and bodies of about 110 Korean nouns (with
 * particles) and 110 English words (with plurals and verb endings), drawn by Zipf's law, so the most
 * common word is in nearly every post and the rarer ones in a few percent, in the bench's board. The search role learns of them by a rebuild, as no
 * event says they were written.
 */
final class SearchCorpus {
  private static final int BATCH = 1000;
  private static final String INSERT = "INSERT INTO posts (board_id, author_id, title, content, content_html,"
      + " created_at, updated_at, hot_score) VALUES (?, ?, ?, ?, ?, ?, ?, 0)";
  /** Nouns, most common first: a text draws them by Zipf's law, as real texts use words. */
  private static final List<String> KOREAN = List.of(("댓글 게시판 사용자 질문 답변 기능 서버 문제 해결 화면 설정 알림 후기"
      + " 검색 브라우저 데이터베이스 캐시 성능 배포 클러스터 개발자 로그인 버튼 메뉴 페이지 링크 이미지 사진 동영상 음악"
      + " 영화 여행 음식 커피 맛집 운동 건강 날씨 주말 학교 회사 회의 프로젝트 일정 계획 예산 가격 할인 배송 주문 결제"
      + " 환불 리뷰 추천 순위 인기 공지 이벤트 모임 친구 가족 고양이 강아지 공부 시험 취업 면접 이력서 연봉 코드 버그"
      + " 테스트 빌드 릴리스 버전 업데이트 보안 비밀번호 계정 권한 관리자 통계 그래프 차트 오류 경고 메모리 디스크"
      + " 네트워크 속도 지연 안정성 확장 구조 설계 문서 번역 언어 키보드 마우스 모니터 노트북 휴대폰 알고리즘 자료 분석"
      + " 모델 웹소켓 실시간").split(" "));
  private static final List<String> PARTICLES = List.of("", "", "이", "가", "을", "를", "은", "는", "에", "에서", "으로",
      "의", "도", "와");
  private static final List<String> ENGLISH = List.of(("comment board user question answer feature server problem fix"
      + " screen setting notification review search browser database cache performance deploy cluster developer login"
      + " button menu page link image photo video music movie travel food coffee restaurant exercise health weather"
      + " weekend school company meeting project schedule plan budget price discount delivery order payment refund"
      + " ranking event friend family cat dog study exam job interview resume salary code bug test build release version"
      + " update security password account permission admin statistic graph chart error warning memory disk network"
      + " speed latency stability scale design document translation language keyboard mouse monitor laptop phone"
      + " algorithm analysis model websocket stream").split(" "));
  private static final List<String> ENDINGS = List.of("", "", "s", "ed", "ing");
  private static final double[] ZIPF = zipf(Math.max(KOREAN.size(), ENGLISH.size()));
  /** What the search scenario asks, in turn: words as readers type them, in both languages. */
  static final List<String> QUERIES = List.of("댓글", "알림", "후기", "웹소켓", "검색", "comment", "notification",
      "websockets", "searching", "cache", "\"database performance\"", "데이터베이스 성능", "cluster deployed",
      "질문 답변");
  /** What the suggestion scenario types, in turn. */
  static final List<String> PREFIXES = List.of("댓", "알림", "웹소", "com", "web", "serv", "실시간 댓", "cache p");

  private SearchCorpus() {}

  /** Writes {@code count} posts by {@code authorId} into {@code board}; the last one's title ends with {@code marker}. */
  static void write(Config.Db db, long board, long authorId, int count, String marker) throws SQLException {
    Random random = new Random(14);
    long now = System.currentTimeMillis();
    try (Connection c = TestDb.connect(db); PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        String title = words(random, 4 + random.nextInt(4)) + (i == count - 1 ? " " + marker : "");
        String content = words(random, 40 + random.nextInt(40));
        LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochMilli(now - (count - i) * 1000L), ZoneOffset.UTC);
        insert.setLong(1, board);
        insert.setLong(2, authorId);
        insert.setString(3, title);
        insert.setString(4, content);
        insert.setString(5, "<p>" + content + "</p>");
        insert.setObject(6, at);
        insert.setObject(7, at);
        insert.addBatch();
        if ((i + 1) % BATCH == 0 || i == count - 1) {
          insert.executeBatch();
          c.commit();
        }
      }
    }
  }

  private static String words(Random random, int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(i == 0 ? "" : " ");
      if (random.nextInt(3) == 0) {
        text.append(pick(random, ENGLISH)).append(ENDINGS.get(random.nextInt(ENDINGS.size())));
      } else {
        text.append(pick(random, KOREAN)).append(PARTICLES.get(random.nextInt(PARTICLES.size())));
      }
    }
    return text.toString();
  }

  /** A word, the k-th most common with a probability proportional to 1/k. */
  private static String pick(Random random, List<String> words) {
    double x = random.nextDouble() * ZIPF[words.size() - 1];
    int k = java.util.Arrays.binarySearch(ZIPF, 0, words.size(), x);
    return words.get(k >= 0 ? k : -k - 1);
  }

  /** Cumulative sums of 1/k. */
  private static double[] zipf(int n) {
    double[] sums = new double[n];
    for (int k = 0; k < n; k++) {
      sums[k] = (k == 0 ? 0 : sums[k - 1]) + 1.0 / (k + 1);
    }
    return sums;
  }
}
