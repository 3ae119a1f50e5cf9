package io.sessionflow.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A PNG of achieved throughput and p99 latency against offered load, drawn with the JDK alone. */
final class Chart {

    record Point(double offered, double achieved, double p99) {
    }

    private Chart() {
    }

    static void write(List<Point> points, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 900;
        int height = 520;
        int left = 80;
        int right = 80;
        int top = 60;
        int bottom = 70;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double maxX = points.stream().mapToDouble(Point::offered).max().orElse(1) * 1.05;
        double maxRate = Math.max(maxX, points.stream().mapToDouble(Point::achieved).max().orElse(1)) * 1.05;
        double maxP99 = points.stream().mapToDouble(Point::p99).max().orElse(1) * 1.15;
        int plotW = width - left - right;
        int plotH = height - top - bottom;

        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - i * plotH / 5;
            g.drawLine(left, y, left + plotW, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - i * plotH / 5;
            g.setColor(new Color(30, 90, 200));
            g.drawString(String.format("%.0f", maxRate * i / 5), 10, y + 4);
            g.setColor(new Color(200, 50, 40));
            g.drawString(String.format("%.1f", maxP99 * i / 5), left + plotW + 8, y + 4);
            g.setColor(Color.DARK_GRAY);
            int x = left + i * plotW / 5;
            g.drawString(String.format("%.0f", maxX * i / 5), x - 10, top + plotH + 18);
        }
        g.drawString("offered load (runs/s)", left + plotW / 2 - 60, height - 25);
        g.setColor(new Color(30, 90, 200));
        g.drawString("achieved runs/s", 10, top - 10);
        g.setColor(new Color(200, 50, 40));
        g.drawString("p99 accept→completed (ms)", left + plotW - 150, top - 10);

        g.setStroke(new BasicStroke(2.5f));
        plot(g, points, p -> p.achieved() / maxRate, maxX, left, top, plotW, plotH, new Color(30, 90, 200));
        plot(g, points, p -> p.p99() / maxP99, maxX, left, top, plotW, plotH, new Color(200, 50, 40));
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void plot(Graphics2D g, List<Point> points, java.util.function.ToDoubleFunction<Point> y, double maxX,
                             int left, int top, int plotW, int plotH, Color color) {
        g.setColor(color);
        int[] xs = new int[points.size()];
        int[] ys = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = left + (int) (plotW * points.get(i).offered() / maxX);
            ys[i] = top + plotH - (int) (plotH * y.applyAsDouble(points.get(i)));
            g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
        }
        g.drawPolyline(xs, ys, points.size());
    }
}
