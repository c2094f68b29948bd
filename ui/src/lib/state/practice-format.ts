// How practice shows numbers to people: intervals until the next review,
// word counts, clock times, countdowns and score bands.

/** "10 min", "5 h", "3 days", "2 mo", "1.5 y". */
export function formatInterval(days: number): string {
  const minutes = days * 24 * 60;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))} min`;
  if (days < 1) return `${Math.round(minutes / 60)} h`;
  if (days < 31) {
    const whole = Math.round(days);
    return `${whole} ${whole === 1 ? 'day' : 'days'}`;
  }
  if (days < 365) return `${Math.round(days / 30)} mo`;
  const years = days / 365;
  return `${years < 10 ? years.toFixed(1).replace(/\.0$/, '') : Math.round(years)} y`;
}

/** Words as a person counts them: runs of letters, digits and code. */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}_][\p{L}\p{N}_'’.\-]*/gu)?.length ?? 0;
}

/** "12:04", in the user's own clock. */
export function clockTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "2:05" for a countdown or a time spent; never negative. */
export function minutesSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Strong, partial or weak: the colour of a score. */
export function scoreBand(score: number): 'strong' | 'partial' | 'weak' {
  return score >= 70 ? 'strong' : score >= 40 ? 'partial' : 'weak';
}
