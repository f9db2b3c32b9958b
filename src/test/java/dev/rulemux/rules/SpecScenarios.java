package dev.rulemux.rules;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Test helper: runs every scenario of spec classes directly, in this thread, the way JUnit would run them: each
 * {@code @Test} method of the class and of its {@code @Nested} classes on a fresh instance, and each row of a
 * {@code @ParameterizedTest} with a {@code @CsvSource}. A spec the helper cannot run as JUnit would (lifecycle
 * methods, other argument sources) is refused loudly rather than skipped.
 */
final class SpecScenarios {

    private static final List<Class<? extends Annotation>> UNSUPPORTED =
            List.of(BeforeEach.class, AfterEach.class, BeforeAll.class, AfterAll.class);

    private SpecScenarios() {
    }

    /** Runs every scenario of {@code specs}; returns how many ran. Throws the first failure, naming its scenario. */
    static int runAll(List<Class<?>> specs) {
        int ran = 0;
        for (Class<?> spec : specs) {
            ran += run(spec, null);
        }
        return ran;
    }

    private static int run(Class<?> type, Object outer) {
        if (type.isAnnotationPresent(Disabled.class)) {
            return 0;
        }
        int ran = 0;
        for (Method m : methodsOf(type)) {
            for (Class<? extends Annotation> a : UNSUPPORTED) {
                if (m.isAnnotationPresent(a)) {
                    throw new IllegalStateException(type.getName() + "." + m.getName() + " is @" + a.getSimpleName()
                            + ", which SpecScenarios does not run: teach it");
                }
            }
            if (m.isAnnotationPresent(Disabled.class)) {
                continue;
            }
            if (m.isAnnotationPresent(Test.class)) {
                invoke(type, outer, m, new Object[0], "");
                ran++;
            } else if (m.isAnnotationPresent(ParameterizedTest.class)) {
                CsvSource csv = m.getAnnotation(CsvSource.class);
                if (csv == null) {
                    throw new IllegalStateException(type.getName() + "." + m.getName()
                            + " takes its arguments from a source SpecScenarios does not read (it reads @CsvSource): teach it");
                }
                for (String[] row : rows(csv)) {
                    invoke(type, outer, m, arguments(m, row), " " + Arrays.toString(row));
                    ran++;
                }
            }
        }
        for (Class<?> inner : type.getDeclaredClasses()) {
            if (inner.isAnnotationPresent(Nested.class)) {
                ran += run(inner, instance(type, outer));
            }
        }
        return ran;
    }

    private static List<Method> methodsOf(Class<?> type) {
        List<Method> methods = new ArrayList<>(Arrays.asList(type.getDeclaredMethods()));
        methods.sort(Comparator.comparing(Method::getName));
        return methods;
    }

    private static void invoke(Class<?> type, Object outer, Method m, Object[] args, String row) {
        try {
            m.setAccessible(true);
            m.invoke(instance(type, outer), args);
        } catch (InvocationTargetException e) {
            throw new AssertionError("spec " + type.getName() + "." + m.getName() + row + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + type.getName() + "." + m.getName(), e);
        }
    }

    private static Object instance(Class<?> type, Object outer) {
        try {
            boolean inner = !Modifier.isStatic(type.getModifiers()) && type.getEnclosingClass() != null;
            Constructor<?> c = inner ? type.getDeclaredConstructor(type.getEnclosingClass()) : type.getDeclaredConstructor();
            c.setAccessible(true);
            return inner ? c.newInstance(outer) : c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getName(), e);
        }
    }

    /** The rows of a {@code @CsvSource}: its text block, or its lines, split at its delimiter, each value trimmed. */
    private static List<String[]> rows(CsvSource csv) {
        List<String> lines = new ArrayList<>(Arrays.asList(csv.value()));
        if (!csv.textBlock().isEmpty()) {
            lines.addAll(csv.textBlock().lines().toList());
        }
        String delimiter = csv.delimiterString().isEmpty() ? String.valueOf(csv.delimiter()) : csv.delimiterString();
        List<String[]> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            if (line.contains("'") || line.contains("\"")) {
                throw new IllegalStateException("quoted @CsvSource values are not read by SpecScenarios: " + line);
            }
            out.add(Arrays.stream(line.split(java.util.regex.Pattern.quote(delimiter), -1)).map(String::strip)
                    .toArray(String[]::new));
        }
        return out;
    }

    private static Object[] arguments(Method m, String[] row) {
        Class<?>[] types = m.getParameterTypes();
        if (types.length != row.length) {
            throw new IllegalStateException(m.getName() + " takes " + types.length + " arguments, a row has " + row.length);
        }
        Object[] args = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            args[i] = convert(row[i], types[i]);
        }
        return args;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String value, Class<?> type) {
        if (type == String.class) {
            return value;
        } else if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        } else if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        } else if (type == boolean.class || type == Boolean.class) {
            return Boolean.parseBoolean(value);
        } else if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value);
        }
        throw new IllegalStateException("SpecScenarios does not convert a @CsvSource value to " + type.getName() + ": teach it");
    }
}
